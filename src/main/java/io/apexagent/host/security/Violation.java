package io.apexagent.host.security;

/**
 * One reference in a plugin's code that its grant does not cover.
 *
 * @param className  dotted name of the plugin class holding the reference
 * @param method     the method holding it ({@code <init>}, {@code <clinit>}, ...); for a class
 *                   declaration, {@value #DECLARATION}
 * @param line       source line, or -1 when the class has no line numbers
 * @param used       what the code references, as written ({@code java.lang.Runtime.exec}, or for a
 *                   declaration {@code extends java.lang.Thread})
 * @param ruledAs    the JDK member the rule matched when it differs from {@code used} (an ancestor), else null
 * @param rule       the rule that refused it
 * @param hostsNarrowed refused although network_access is granted, because the operator limits the plugin
 *                   to some hosts and a connection of its own could go anywhere
 */
public record Violation(String className, String method, int line, String used, String ruledAs, ApiRule rule,
        boolean hostsNarrowed) {

    /** A reference the grant does not cover. */
    public Violation(String className, String method, int line, String used, String ruledAs, ApiRule rule) {
        this(className, method, line, used, ruledAs, rule, false);
    }

    /** The {@link #method()} of a violation in a class declaration (superclass, interfaces, native methods). */
    public static final String DECLARATION = "<declaration>";

    /**
     * @return {@code <class>.<method>(line N): uses <owner>.<member> which needs <permission>|is never allowed},
     *         or for narrowed hosts {@code … which cannot be held to the allowed hosts: use context.http()}
     */
    @Override
    public String toString() {
        String where = className + "." + method + "(line " + (line < 0 ? "?" : String.valueOf(line)) + ")";
        String what = used.startsWith("extends ") || used.startsWith("implements ") || used.startsWith("declares ")
                ? used : "uses " + used;
        String via = ruledAs == null ? "" : " (" + ruledAs + ")";
        String verdict = hostsNarrowed ? "which cannot be held to the hosts the operator's policy allows "
                + "(allowed-hosts): use context.http()"
                : rule.access() == ApiRule.Access.NEEDS ? "which needs " + rule.permission().manifestName()
                : "which is never allowed";
        return where + ": " + what + via + " " + verdict;
    }
}
