package io.apexagent.host.plugin.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.apexagent.plugin.Permission;

class ManifestSchemaTest {

    @Test
    void permissionVocabularyMatchesTheSdk() throws Exception {
        JsonNode schema;
        try (InputStream in = getClass().getResourceAsStream(ManifestSchema.RESOURCE)) {
            schema = TestManifests.MAPPER.readTree(in);
        }
        List<String> names = new ArrayList<>();
        schema.at("/properties/permissions/items/enum").forEach(n -> names.add(n.asText()));

        assertThat(names).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(Permission.values()).map(Permission::manifestName).toList());
    }

    @Test
    void schemaIsItselfAValidDraft202012Schema() throws Exception {
        ManifestSchema schema = new ManifestSchema(TestManifests.MAPPER);
        JsonNode document;
        try (InputStream in = getClass().getResourceAsStream(ManifestSchema.RESOURCE)) {
            document = TestManifests.MAPPER.readTree(in);
        }

        assertThat(schema.validateSchema(java.nio.file.Path.of("schema.json"), "", document)).isEmpty();
    }
}
