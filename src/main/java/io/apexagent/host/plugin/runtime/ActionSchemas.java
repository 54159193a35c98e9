package io.apexagent.host.plugin.runtime;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import io.apexagent.host.plugin.discovery.PluginManifest;

/**
 * Compiled {@code parameters_schema} and {@code returns_schema} of one plugin version's actions.
 * Built once per loaded version; validation is thread-safe.
 */
public final class ActionSchemas {

    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

    private final Map<String, JsonSchema> parameters = new HashMap<>();
    private final Map<String, JsonSchema> returns = new HashMap<>();

    public ActionSchemas(PluginManifest manifest) {
        for (PluginManifest.Action action : manifest.actions()) {
            if (hasContent(action.parametersSchema())) {
                parameters.put(action.name(), FACTORY.getSchema(action.parametersSchema()));
            }
            if (hasContent(action.returnsSchema())) {
                returns.put(action.name(), FACTORY.getSchema(action.returnsSchema()));
            }
        }
    }

    /** @return whether the action has a parameters_schema (without one, parameters need no JSON tree) */
    public boolean checksParameters(String action) {
        return parameters.containsKey(action);
    }

    /** @return whether the action has a returns_schema (without one, results need no JSON tree) */
    public boolean checksResult(String action) {
        return returns.containsKey(action);
    }

    /** @return problems of {@code params} against the action's parameters_schema, empty when valid */
    public List<String> checkParameters(String action, JsonNode params) {
        return check(parameters.get(action), params);
    }

    /** @return problems of {@code result} against the action's returns_schema, empty when valid */
    public List<String> checkResult(String action, JsonNode result) {
        return check(returns.get(action), result);
    }

    private static List<String> check(JsonSchema schema, JsonNode value) {
        if (schema == null) {
            return List.of();
        }
        Set<ValidationMessage> messages = schema.validate(value);
        return messages.stream()
                .sorted(Comparator.comparing(m -> String.valueOf(m.getInstanceLocation())))
                .map(m -> m.getInstanceLocation() + ": " + m.getMessage())
                .collect(Collectors.toList());
    }

    private static boolean hasContent(JsonNode schema) {
        return schema != null && !schema.isNull() && !schema.isMissingNode() && !(schema.isObject() && schema.isEmpty());
    }
}
