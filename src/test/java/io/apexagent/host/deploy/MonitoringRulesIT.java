package io.apexagent.host.deploy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.apexagent.host.testing.PrometheusScrape;
import io.apexagent.host.testing.TestPluginDirectory;
import io.apexagent.host.testing.TestPlugins;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The shipped alert rules against a running host: every metric they name is on {@code /q/metrics} (a renamed
 * metric would leave an alert that can never fire), and {@code apex_plugins} counts the plugins of each state as
 * {@code GET /plugins} lists them, a failed one included.
 */
@QuarkusTest
class MonitoringRulesIT {

    private static final Pattern METRIC = Pattern.compile("\\b(?:apex|kafka)_[a-z0-9_]+\\b");

    @Test
    void everyMetricTheAlertsNameIsExposed() {
        Set<String> named = new TreeSet<>();
        for (JsonNode rule : AlertRulesTest.alertRules()) {
            Matcher m = METRIC.matcher(rule.path("expr").asText());
            while (m.find()) {
                named.add(m.group());
            }
        }
        assertThat(named).contains("apex_plugins", "apex_events_not_forwarded_total",
                "apex_actions_requests_being_run_again");

        String scrape = given().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String metric : named) {
            assertThat(scrape).as("metric %s, named by an alert", metric)
                    .containsPattern("(?m)^" + metric + "(\\{[^}]*\\})? ");
        }
    }

    @Test
    void pluginsAreCountedByStateAFailedOneIncluded() {
        // Its code would end the host's JVM: the load-time scan refuses it, so it ends FAILED.
        TestPlugins.plugin("mon-refused").action("run").javaSource("monrefused.Refused", """
                package monrefused;
                import java.util.Map;
                import io.apexagent.plugin.AbstractPlugin;
                import io.smallrye.mutiny.Uni;
                public class Refused extends AbstractPlugin {
                    @Override public Uni<Object> executeAction(String action, Map<String, Object> params) {
                        System.exit(3);
                        return Uni.createFrom().nullItem();
                    }
                }
                """).writeTo(TestPluginDirectory.path());
        given().post("/plugins/rescan").then().statusCode(200);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<Map<String, Object>> plugins = given().get("/plugins").then().statusCode(200).extract().jsonPath()
                    .getList("$");
            assertThat(plugins).anySatisfy(p -> assertThat(p).containsEntry("id", "mon-refused")
                    .containsEntry("state", "FAILED"));
            String scrape = given().get("/q/metrics").then().statusCode(200).extract().asString();
            for (String state : List.of("ACTIVE", "FAILED", "STOPPED", "PAUSED")) {
                long listed = plugins.stream().filter(p -> state.equals(p.get("state"))).count();
                assertThat(PrometheusScrape.sum(scrape, "apex_plugins", "state=\"" + state.toLowerCase(java.util.Locale.ROOT) + "\""))
                        .as("apex_plugins{state=%s}", state.toLowerCase(java.util.Locale.ROOT)).hasValue(listed);
            }
        });
    }
}
