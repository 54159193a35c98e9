package io.apexagent.plugin;

/**
 * One action a plugin serves.
 *
 * @param name               action name, unique within the plugin
 * @param description        what the action does
 * @param parametersSchema   JSON Schema of the parameters, as JSON text
 * @param returnsSchema      JSON Schema of the result (or of each chunk's data when streaming), as JSON text
 * @param streamingSupported whether {@link StreamingPlugin#streamAction} serves this action
 */
public record ActionDescriptor(String name, String description, String parametersSchema, String returnsSchema,
        boolean streamingSupported) {
}
