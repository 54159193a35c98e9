package io.apexagent.host.api;

import com.fasterxml.jackson.databind.JsonNode;

import io.apexagent.host.plugin.discovery.PluginManifest;

/**
 * One action of a plugin as the REST API shows it.
 *
 * @param name               action name
 * @param description        what it does
 * @param parametersSchema   JSON Schema of the parameters
 * @param returnsSchema      JSON Schema of the result
 * @param streamingSupported whether {@code /stream} serves it
 */
public record ActionView(String name, String description, JsonNode parametersSchema, JsonNode returnsSchema,
        boolean streamingSupported) {

    static ActionView of(PluginManifest.Action a) {
        return new ActionView(a.name(), a.description(), a.parametersSchema(), a.returnsSchema(), a.streamingSupported());
    }
}
