package io.apexagent.host.testing;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Points every {@code @QuarkusTest} of the suite at the real servers of {@link TestInfrastructure}.
 * Declared once, unrestricted, so all test classes share one application boot. Also sets the suite's
 * users and token key ({@link TestAuth}) and RestAssured's default user.
 */
@QuarkusTestResource(value = InfrastructureTestResource.class, restrictToAnnotatedClass = false)
public class InfrastructureTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(TestInfrastructure.get().hostConfig());
        config.putAll(TestAuth.hostConfig());
        // Tests act as the admin unless they choose another user or none (given().auth().none()).
        TestAuth.useDefaultUser();
        config.put("apex.node-id", "test-node");
        config.put("apex.plugins.dirs", "plugins," + TestPluginDirectory.path());
        config.put("apex.plugins.data-dir", "target/plugin-data");
        // Recovery of failed plugins soon enough to be seen by a test, late enough not to race assertions.
        config.put("apex.plugins.recovery.initial-backoff", "3s");
        config.put("apex.plugins.compile-cache-dir", "target/plugin-data/.compiled");
        config.put("apex.plugins.process.initialize-timeout", "4s");
        config.put("apex.plugins.process.heartbeat-interval", "300ms");
        config.put("apex.plugins.process.heartbeat-timeout", "3s");
        // State tests: quick retries after outages, a small limit and a forced downgrade for one plugin each.
        config.put("apex.state.retry-interval", "500ms");
        config.put("apex.state.timeout", "5s");
        config.put("apex.state.max-bytes-per-plugin.\"st-limit\"", "256");
        config.put("apex.state.allow-downgrade.\"st-downgrade-forced\"", "true");
        // Operator policy tests: one plugin narrowed below what its code needs, one narrowed at run time.
        config.put("apex.security.policy.\"pol-scan\".deny", "file_system_write");
        config.put("apex.security.policy.\"pol-runtime\".deny", "event_publish");
        config.put("apex.security.policy.\"pol-runtime\".allowed-paths", "public");
        // Network tests: two plugins limited to one host (its HTTP client, and code opening sockets itself).
        config.put("apex.security.policy.\"net-narrow\".allowed-hosts", "127.0.0.1");
        config.put("apex.security.policy.\"net-direct\".allowed-hosts", "127.0.0.1");
        config.put("apex.security.policy.\"ctx-http-narrow\".allowed-hosts", "127.0.0.1");
        // The test HTTP servers listen on loopback, an internal address: only these plugins may reach it by any name.
        for (String plugin : new String[] {"net-open", "ctx-http", "ctx-java-http"}) {
            config.put("apex.security.policy.\"" + plugin + "\".internal-addresses", "true");
        }
        return config;
    }

    @Override
    public void stop() {
        // The servers outlive one application boot; TestInfrastructure stops them when the JVM exits.
    }
}
