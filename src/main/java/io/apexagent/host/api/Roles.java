package io.apexagent.host.api;

/**
 * The admin API's roles, from least to most trusted. Each role includes the ones before it: an endpoint
 * lists every role that may call it, so a user or token needs just one role.
 * <ul>
 * <li>{@code viewer}: reads the registry, actions, events and the API description;</li>
 * <li>{@code operator}: also lifecycle operations, rescans and action calls;</li>
 * <li>{@code admin}: also credentials, plugin state and the operator policy.</li>
 * </ul>
 */
public final class Roles {

    public static final String VIEWER = "viewer";
    public static final String OPERATOR = "operator";
    public static final String ADMIN = "admin";

    private Roles() {
    }
}
