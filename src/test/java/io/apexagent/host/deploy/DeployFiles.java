package io.apexagent.host.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/** Reads the deployment files the deploy tests check: the manifests under deploy/kubernetes and kafka/topics.txt. */
final class DeployFiles {

    static final Path DEPLOY = Path.of("deploy");
    static final Path KUBERNETES = DEPLOY.resolve("kubernetes");
    static final Path TOPIC_LIST = Path.of("kafka", "topics.txt");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** One Kubernetes object and the file it came from. */
    record Manifest(Path file, JsonNode object) {
        String kind() {
            return object.path("kind").asText();
        }

        String name() {
            return object.path("metadata").path("name").asText();
        }
    }

    /** One line of kafka/topics.txt. */
    record TopicDefinition(String name, int partitions, long retentionMs, String cleanupPolicy) {
    }

    private DeployFiles() {
    }

    /** @return every object of every manifest (kustomization.yaml files excluded), in file order */
    static List<Manifest> manifests() {
        try (Stream<Path> files = Files.walk(KUBERNETES)) {
            List<Manifest> result = new ArrayList<>();
            for (Path file : files.filter(DeployFiles::isManifest).sorted().toList()) {
                result.addAll(read(file));
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Manifest> manifests(String kind) {
        return manifests().stream().filter(m -> m.kind().equals(kind)).toList();
    }

    static Manifest single(String kind) {
        List<Manifest> found = manifests(kind);
        if (found.size() != 1) {
            throw new AssertionError("expected exactly one " + kind + " under " + KUBERNETES + ", found " + found.size());
        }
        return found.get(0);
    }

    static boolean isManifest(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".yaml") && !name.equals("kustomization.yaml");
    }

    /** @return the objects of one YAML file (empty documents skipped) */
    static List<Manifest> read(Path file) {
        try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            List<Manifest> result = new ArrayList<>();
            while (docs.hasNextValue()) {
                JsonNode doc = docs.nextValue();
                if (doc != null && !doc.isNull() && !doc.isMissingNode() && doc.size() > 0) {
                    result.add(new Manifest(file, doc));
                }
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + file, e);
        }
    }

    /** @return kafka/topics.txt by topic name, in file order */
    static Map<String, TopicDefinition> topicList() {
        try {
            Map<String, TopicDefinition> topics = new LinkedHashMap<>();
            for (String line : Files.readAllLines(TOPIC_LIST)) {
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                String[] f = trimmed.split("\\s+");
                topics.put(f[0], new TopicDefinition(f[0], Integer.parseInt(f[1]), Long.parseLong(f[2]), f[3]));
            }
            return topics;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
