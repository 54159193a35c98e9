package io.apexagent.host.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The kustomize tree holds together (every listed file exists, every manifest is listed, no overlay
 * carries two autoscalers) and the plugin directory shipped in the plugins ConfigMap is mountable and compiles.
 */
class DeployLayoutTest {

    @Test
    void kustomizationsListExistingFilesAndEveryManifestIsListed() throws IOException {
        Set<Path> listed = new HashSet<>();
        for (Path kustomization : kustomizations()) {
            for (JsonNode resource : DeployFiles.YAML.readTree(kustomization.toFile()).path("resources")) {
                Path target = kustomization.getParent().resolve(resource.asText()).normalize();
                assertThat(target).as(kustomization + " lists " + resource.asText()).exists();
                listed.add(target);
            }
        }
        try (Stream<Path> files = Files.walk(DeployFiles.KUBERNETES)) {
            assertThat(files.filter(DeployFiles::isManifest).map(Path::normalize)).as("manifests no kustomization lists")
                    .allMatch(listed::contains);
        }
    }

    @Test
    void noOverlayAppliesBothKedaAndTheCpuHpa() throws IOException {
        for (Path overlay : kustomizations()) {
            Set<String> kinds = new HashSet<>();
            collectKinds(overlay.getParent(), kinds);
            assertThat(kinds.contains("ScaledObject") && kinds.contains("HorizontalPodAutoscaler"))
                    .as(overlay + " would put two autoscalers on one Deployment").isFalse();
        }
    }

    @Test
    void everyPluginFileInTheConfigMapIsMountedAsPluginIdSlashFile() {
        JsonNode data = pluginsConfigMap().path("data");
        Map<String, String> mounted = new LinkedHashMap<>();
        for (JsonNode volume : DeployFiles.single("Deployment").object().path("spec").path("template").path("spec").path("volumes")) {
            if (volume.path("configMap").path("name").asText().equals("apex-plugins")) {
                volume.path("configMap").path("items").forEach(i -> mounted.put(i.path("key").asText(), i.path("path").asText()));
            }
        }
        List<String> keys = new ArrayList<>();
        data.fieldNames().forEachRemaining(keys::add);

        assertThat(mounted.keySet()).containsExactlyInAnyOrderElementsOf(keys);
        mounted.forEach((key, path) -> assertThat(path).isEqualTo(key.replaceFirst("\\.", "/")));
    }

    @Test
    void shippedPluginsHaveAManifestWithTheirIdAndCompileAgainstTheSdk(@TempDir Path dir) throws IOException {
        JsonNode data = pluginsConfigMap().path("data");
        List<String> sources = new ArrayList<>();
        for (var it = data.fields(); it.hasNext(); ) {
            var entry = it.next();
            String[] idAndFile = entry.getKey().split("\\.", 2);
            if (idAndFile[1].equals("manifest.json")) {
                JsonNode manifest = new ObjectMapper().readTree(entry.getValue().asText());
                assertThat(manifest.path("id").asText()).isEqualTo(idAndFile[0]);
                assertThat(data.has(idAndFile[0] + "." + manifest.path("main_module").asText())).as("main module of " + idAndFile[0]).isTrue();
            } else if (idAndFile[1].endsWith(".java")) {
                Path source = dir.resolve(idAndFile[0]).resolve(idAndFile[1]);
                Files.createDirectories(source.getParent());
                Files.writeString(source, entry.getValue().asText());
                sources.add(source.toString());
            }
        }
        assertThat(sources).isNotEmpty();

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> args = new ArrayList<>(List.of("-d", dir.resolve("classes").toString(), "-classpath", System.getProperty("java.class.path")));
        args.addAll(sources);
        assertThat(javac.run(null, null, null, args.toArray(String[]::new))).as("javac exit code").isZero();
    }

    private static JsonNode pluginsConfigMap() {
        return DeployFiles.manifests("ConfigMap").stream().filter(m -> m.name().equals("apex-plugins")).findFirst()
                .orElseThrow().object();
    }

    private static List<Path> kustomizations() throws IOException {
        try (Stream<Path> files = Files.walk(DeployFiles.KUBERNETES)) {
            return files.filter(f -> f.getFileName().toString().equals("kustomization.yaml")).sorted().toList();
        }
    }

    private static void collectKinds(Path dir, Set<String> kinds) throws IOException {
        for (JsonNode resource : DeployFiles.YAML.readTree(dir.resolve("kustomization.yaml").toFile()).path("resources")) {
            Path target = dir.resolve(resource.asText()).normalize();
            if (Files.isDirectory(target)) {
                collectKinds(target, kinds);
            } else {
                DeployFiles.read(target).forEach(m -> kinds.add(m.kind()));
            }
        }
    }
}
