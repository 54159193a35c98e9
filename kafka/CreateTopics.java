import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the topics listed in kafka/topics.txt (name, partitions, retention.ms, cleanup.policy) that
 * do not exist yet. Run by kafka/start.sh as a single-file program: one JVM for all topics.
 */
public class CreateTopics {
    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        List<NewTopic> topics = new ArrayList<>();
        int lineNo = 0;
        for (String line : Files.readAllLines(Path.of(args[1]))) {
            lineNo++;
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            String[] f = trimmed.split("\\s+");
            if (f.length < 4) {
                throw new IllegalArgumentException(args[1] + ":" + lineNo
                        + ": expected 'name partitions retention.ms cleanup.policy [purpose]', got: " + trimmed);
            }
            topics.add(new NewTopic(f[0], Integer.parseInt(f[1]), (short) 1)
                    .configs(Map.of("retention.ms", f[2], "cleanup.policy", f[3])));
        }
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = topics.stream().filter(t -> !existing.contains(t.name())).toList();
            for (var entry : admin.createTopics(missing).values().entrySet()) {
                try {
                    entry.getValue().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            System.out.println("[kafka] topics: " + topics.size() + " defined, " + missing.size() + " created");
        }
    }
}
