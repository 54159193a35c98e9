package io.apexagent.plugin;

import java.util.List;

/**
 * A plugin's identity and its actions, as declared in its manifest.
 *
 * @param id          unique plugin id
 * @param name        display name
 * @param version     semantic version
 * @param description what the plugin does
 * @param author      author, may be empty
 * @param actions     the actions the plugin serves
 */
public record PluginMetadata(String id, String name, String version, String description, String author,
        List<ActionDescriptor> actions) {

    public PluginMetadata {
        actions = List.copyOf(actions);
    }
}
