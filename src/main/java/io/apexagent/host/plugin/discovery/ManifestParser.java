package io.apexagent.host.plugin.discovery;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

/**
 * Reads and validates a plugin folder's {@code manifest.json}: JSON syntax, then the JSON Schema
 * ({@value ManifestSchema#RESOURCE}), then the checks a schema cannot make ({@link ManifestChecks}). Every
 * problem is collected and thrown together in one {@link ManifestValidationException}. Thread-safe.
 */
public final class ManifestParser {

    /** Name of the manifest file inside a plugin folder. */
    public static final String MANIFEST_FILE = "manifest.json";

    private final ObjectReader reader;
    private final ManifestChecks checks;
    private final ManifestSchema schema;

    /** A parser with its own Jackson mapper. */
    public ManifestParser() {
        this(new ObjectMapper());
    }

    /** A parser reading with (a copy of the settings of) {@code mapper}. */
    public ManifestParser(ObjectMapper mapper) {
        this.reader = mapper.reader()
                .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.schema = new ManifestSchema(mapper);
        this.checks = new ManifestChecks(schema);
    }

    /**
     * Reads {@code pluginDirectory/manifest.json}.
     *
     * @return the validated manifest
     * @throws ManifestValidationException listing every problem, each with file, JSON pointer and what is expected
     */
    public PluginManifest parse(Path pluginDirectory) {
        Path file = pluginDirectory.resolve(MANIFEST_FILE);
        JsonNode json = read(file);
        List<ManifestProblem> problems = new ArrayList<>(schema.validateManifest(file, json));
        if (json.isObject()) {
            problems.addAll(checks.check(pluginDirectory, file, json));
        }
        problems.sort(Comparator.comparing(ManifestProblem::pointer));
        if (!problems.isEmpty()) {
            String version = json.path("version").isTextual() && PluginVersions.isValid(json.path("version").asText())
                    ? json.path("version").asText() : null;
            throw new ManifestValidationException(file, json.path("id").asText(null), version, problems, null);
        }
        return ManifestMapper.toManifest(pluginDirectory, json);
    }

    private JsonNode read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            JsonNode json = reader.readTree(in);
            if (json == null || json.isMissingNode()) {
                throw failure(file, "the file is empty", "a JSON object", null);
            }
            return json;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw failure(file, "malformed JSON" + where + ": " + e.getOriginalMessage(), "a well-formed JSON object",
                    e);
        } catch (NoSuchFileException e) {
            throw failure(file, "file not found", "a " + MANIFEST_FILE + " in the plugin folder " + file.getParent(), e);
        } catch (IOException e) {
            throw failure(file, "cannot be read (" + e + ")", "a readable " + MANIFEST_FILE, e);
        }
    }

    private static ManifestValidationException failure(Path file, String wrong, String expected, Throwable cause) {
        return new ManifestValidationException(file, null, List.of(ManifestProblem.of(file, "", wrong, expected)),
                cause);
    }
}
