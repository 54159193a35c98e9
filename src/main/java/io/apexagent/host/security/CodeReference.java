package io.apexagent.host.security;

/**
 * A reference from a plugin class to another type or member, as found in its bytecode.
 *
 * @param className internal name of the plugin class
 * @param method    the method holding the reference, or {@link Violation#DECLARATION}
 * @param line      source line, -1 when unknown
 * @param kind      how it is referenced
 * @param owner     internal name of the referenced type
 * @param name      member name ({@code <init>} for constructors and superclasses)
 * @param desc      member descriptor, empty for supertypes
 */
record CodeReference(String className, String method, int line, Kind kind, String owner, String name, String desc) {

    /** How a type or member is referenced. */
    enum Kind {
        /** Method call, field access, method handle. */
        MEMBER,
        /** Superclass (constructing the class constructs it). */
        EXTENDS,
        /** Implemented interface. */
        IMPLEMENTS,
        /** A {@code native} method declared by the class itself. */
        NATIVE
    }
}
