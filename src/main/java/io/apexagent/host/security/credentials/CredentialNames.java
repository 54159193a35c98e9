package io.apexagent.host.security.credentials;

import java.util.regex.Pattern;

/**
 * What a credential name and a plugin id may look like where they become Vault paths: no separators, so
 * one plugin's name can never reach into another plugin's folder.
 */
public final class CredentialNames {

    /** Letters, digits, '.', '_' and '-', starting with a letter or digit, at most 128 characters. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    /** The manifest schema's plugin id pattern. */
    public static final Pattern PLUGIN_ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,127}");

    private CredentialNames() {
    }

    /** @return why {@code name} is not a valid credential name, or null when it is */
    public static String problemWithName(String name) {
        if (name == null || name.isEmpty()) {
            return "credential name is empty";
        }
        return NAME.matcher(name).matches() ? null
                : "credential name '" + name + "' is invalid: use 1 to 128 letters, digits, '.', '_' or '-', "
                        + "starting with a letter or digit";
    }

    /** @return why {@code pluginId} is not a valid plugin id, or null when it is */
    public static String problemWithPluginId(String pluginId) {
        return pluginId != null && PLUGIN_ID.matcher(pluginId).matches() ? null
                : "plugin id '" + pluginId + "' is invalid: use lower-case letters, digits, '.', '_' or '-'";
    }
}
