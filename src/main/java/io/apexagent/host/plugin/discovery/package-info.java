/**
 * Plugin discovery: finding plugin folders, reading and validating their manifests, and resolving the
 * dependencies between plugins. Plain classes without CDI; the plugin facade builds and calls them:
 * <ol>
 * <li>{@link io.apexagent.host.plugin.discovery.PluginScanner} walks the plugin directories
 * ({@code <dir>/<folder>/manifest.json} or {@code <dir>/<id>/<version>/manifest.json}) and returns a
 * {@link io.apexagent.host.plugin.discovery.DiscoveryResult}: valid manifests plus per-folder failures.</li>
 * <li>{@link io.apexagent.host.plugin.discovery.ManifestParser} checks a manifest against
 * {@code schema/plugin-manifest.schema.json} (draft 2020-12, unknown properties rejected, {@code actions}
 * required but possibly empty) and the checks a schema cannot make, reporting every problem at once as a
 * {@link io.apexagent.host.plugin.discovery.ManifestValidationException}.</li>
 * <li>{@link io.apexagent.host.plugin.discovery.DependencyResolver} picks a version per id and a load order, and
 * fails only the plugins concerned ({@link io.apexagent.host.plugin.discovery.ResolutionResult}).</li>
 * <li>{@link io.apexagent.host.plugin.discovery.PluginDirectoryWatcher} reports debounced folder changes for
 * hot reload.</li>
 * </ol>
 * Versions and ranges go through {@link io.apexagent.host.plugin.discovery.PluginVersions} (semver4j).
 */
package io.apexagent.host.plugin.discovery;
