package io.apexagent.host.plugin.discovery;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaId;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/**
 * The manifest JSON Schema and the draft 2020-12 meta-schema, with their findings turned into
 * {@link ManifestProblem}s whose "expected" half is the {@code description} of the schema that failed.
 * Thread-safe once built (networknt schemas are).
 */
final class ManifestSchema {

    /** Classpath location of the manifest schema. */
    static final String RESOURCE = "/schema/plugin-manifest.schema.json";

    private final JsonNode manifestSchemaDocument;
    private final JsonSchema manifestSchema;
    private final JsonSchema metaSchema;

    ManifestSchema(ObjectMapper mapper) {
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
                .pathType(PathType.JSON_POINTER)
                .locale(Locale.ENGLISH)
                .build();
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        this.manifestSchemaDocument = readSchema(mapper);
        this.manifestSchema = factory.getSchema(manifestSchemaDocument, config);
        this.manifestSchema.initializeValidators();
        this.metaSchema = factory.getSchema(SchemaLocation.of(SchemaId.V202012), config);
        this.metaSchema.initializeValidators();
    }

    /** @return every schema problem of a manifest document, in pointer order */
    List<ManifestProblem> validateManifest(Path file, JsonNode manifest) {
        return toProblems(file, manifestSchema.validate(manifest), manifestSchemaDocument);
    }

    /** @return the problems making {@code schema} (found at {@code pointer}) an invalid JSON Schema */
    List<ManifestProblem> validateSchema(Path file, String pointer, JsonNode schema) {
        // The meta-schema's anyOf branches each report on the same value: one problem per value, reasons joined.
        Map<String, List<String>> reasons = new TreeMap<>();
        for (ValidationMessage message : sorted(metaSchema.validate(schema))) {
            reasons.computeIfAbsent(pointer + message.getInstanceLocation(), at -> new ArrayList<>())
                    .add(message.getError());
        }
        List<ManifestProblem> problems = new ArrayList<>();
        reasons.forEach((at, why) -> problems.add(ManifestProblem.of(file, at,
                "is not a valid JSON Schema (" + String.join(" | ", why) + ")",
                "a JSON Schema (draft 2020-12) such as {\"type\": \"object\", \"properties\": {...}}")));
        return problems;
    }

    private static List<ManifestProblem> toProblems(Path file, Set<ValidationMessage> found, JsonNode schemaDocument) {
        List<ValidationMessage> messages = sorted(found);
        List<ManifestProblem> problems = new ArrayList<>();
        for (ValidationMessage message : messages) {
            if (!isBranchNoise(message, messages)) {
                problems.add(toProblem(file, message, schemaDocument));
            }
        }
        return problems;
    }

    /** A failed branch of a oneOf about the very value the oneOf already reports on. */
    private static boolean isBranchNoise(ValidationMessage message, List<ValidationMessage> all) {
        if ("oneOf".equals(message.getType())) {
            return false;
        }
        return all.stream().filter(m -> "oneOf".equals(m.getType()))
                .anyMatch(oneOf -> message.getEvaluationPath().startsWith(oneOf.getEvaluationPath())
                        && message.getInstanceLocation().equals(oneOf.getInstanceLocation()));
    }

    private static ManifestProblem toProblem(Path file, ValidationMessage message, JsonNode document) {
        String at = message.getInstanceLocation().toString();
        JsonNode failedSchema = schemaAt(document, message.getSchemaLocation().getFragment().getParent());
        String expected = describe(failedSchema, message.getError());
        return switch (message.getType()) {
            case "required" -> ManifestProblem.of(file, at + "/" + message.getProperty(),
                    "required property '" + message.getProperty() + "' is missing",
                    describe(resolve(document, failedSchema.path("properties").path(message.getProperty())),
                            "property '" + message.getProperty() + "'"));
            case "additionalProperties" -> ManifestProblem.of(file, at + "/" + message.getProperty(),
                    "unknown property '" + message.getProperty() + "'",
                    "only known properties: " + known(failedSchema));
            case "type" -> ManifestProblem.of(file, at, "is " + kind(message.getInstanceNode()), expected);
            case "enum" -> ManifestProblem.of(file, at, message.getInstanceNode() + " is not allowed", expected);
            case "oneOf" -> ManifestProblem.of(file, at, "is " + kind(message.getInstanceNode())
                    + ", which matches none of the allowed forms", expected);
            default -> ManifestProblem.of(file, at, message.getError(), expected);
        };
    }

    private static JsonNode schemaAt(JsonNode document, JsonNodePath fragment) {
        JsonNode node = document;
        for (int i = 0; fragment != null && i < fragment.getNameCount(); i++) {
            Object element = fragment.getElement(i);
            node = element instanceof Integer index ? node.path(index) : node.path(element.toString());
        }
        return resolve(document, node);
    }

    private static JsonNode resolve(JsonNode document, JsonNode schema) {
        String ref = schema.path("$ref").asText("");
        return ref.startsWith("#/") ? document.at(ref.substring(1)) : schema;
    }

    private static String describe(JsonNode schema, String fallback) {
        String description = schema.path("description").asText("");
        return description.isEmpty() ? fallback : description;
    }

    private static String known(JsonNode schema) {
        List<String> names = new ArrayList<>();
        schema.path("properties").fieldNames().forEachRemaining(names::add);
        return String.join(", ", names);
    }

    private static String kind(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "missing";
        }
        String type = node.getNodeType().name().toLowerCase(Locale.ROOT);
        return switch (type) {
            case "object", "array" -> "an " + type;
            case "null" -> "null";
            default -> "a " + type + " (" + node + ")";
        };
    }

    private static List<ValidationMessage> sorted(Set<ValidationMessage> messages) {
        return messages.stream()
                .sorted(Comparator.comparing((ValidationMessage m) -> m.getInstanceLocation().toString())
                        .thenComparing(m -> String.valueOf(m.getProperty())))
                .collect(Collectors.toList());
    }

    private static JsonNode readSchema(ObjectMapper mapper) {
        try (InputStream in = ManifestSchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("manifest schema " + RESOURCE + " is not on the classpath");
            }
            return mapper.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read manifest schema " + RESOURCE, e);
        }
    }
}
