package io.apexagent.host.security;

import java.util.Objects;

import io.apexagent.plugin.Permission;

/**
 * One line of the bytecode rule table: which JDK members it covers and what using them takes.
 * Patterns end in {@code *} to match a prefix; everything else matches exactly.
 *
 * @param owner      dotted class name ({@code java.net.Socket}, nested {@code a.B$C}), or a prefix
 *                   ({@code java.lang.reflect.*} covers the package and its subpackages)
 * @param member     method or field name ({@code <init>} for constructors), a prefix ({@code get*}), or
 *                   {@code name(descriptorPrefix} to tell overloads apart, e.g. {@code <init>(Ljava/lang/String;}
 * @param access     what using the member takes
 * @param permission the permission needed when {@code access} is {@link Access#NEEDS}, else null
 * @param group      the concern, for the documentation and messages (e.g. "network")
 */
public record ApiRule(String owner, String member, Access access, Permission permission, String group) {

    /** What a matching reference takes. */
    public enum Access {
        /** Fine for every plugin (an exception carved out of a broader rule below it). */
        ALLOWED,
        /** Fine when {@link ApiRule#permission()} is granted. */
        NEEDS,
        /** Refused whatever the grant. */
        NEVER
    }

    public ApiRule {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(member, "member");
        Objects.requireNonNull(access, "access");
        if ((access == Access.NEEDS) != (permission != null)) {
            throw new IllegalArgumentException("a permission goes with NEEDS and only with it: " + owner + "."
                    + member);
        }
    }

    /**
     * @param owner  dotted class name of the referenced member (as written in the bytecode or an ancestor)
     * @param name   member name
     * @param desc   member descriptor (empty for a type reference)
     * @return whether this rule covers the reference
     */
    public boolean matches(String owner, String name, String desc) {
        if (!glob(this.owner, owner)) {
            return false;
        }
        return member.indexOf('(') >= 0 ? (name + desc).startsWith(member) : glob(member, name);
    }

    private static boolean glob(String pattern, String value) {
        if (pattern.endsWith("*")) {
            String prefix = pattern.substring(0, pattern.length() - 1);
            return value.startsWith(prefix);
        }
        return pattern.equals(value);
    }
}
