package io.apexagent.host.plugin.discovery;

import java.nio.file.Path;

import io.apexagent.plugin.PluginConfigurationException;

/**
 * A plugin folder (or a plugin directory) that could not be discovered.
 *
 * @param folder the folder concerned
 * @param error  why; a {@link ManifestValidationException} when the manifest itself is at fault
 */
public record DiscoveryFailure(Path folder, PluginConfigurationException error) {
}
