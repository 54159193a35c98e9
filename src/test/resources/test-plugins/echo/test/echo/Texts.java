package test.echo;

/** A sibling source, to prove that the whole module compiles, not just the main file. */
final class Texts {

    private Texts() {
    }

    static String echo(Object text) {
        return "echo: " + text;
    }
}
