package io.apexagent.host.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The shipped alert rules (deploy/kubernetes/monitoring) are complete and their expressions parse with
 * Prometheus's own parser (deploy/check-promql.sh); {@code MonitoringRulesIT} checks their metrics against a
 * running host.
 */
class AlertRulesTest {

    @Test
    void everyAlertHasASeverityASummaryAndADescription() {
        List<JsonNode> rules = alertRules();

        assertThat(rules).hasSizeGreaterThanOrEqualTo(6);
        for (JsonNode rule : rules) {
            String alert = rule.path("alert").asText();
            assertThat(alert).as("alert name of %s", rule).matches("Apex[A-Za-z]+");
            assertThat(rule.path("labels").path("severity").asText()).as(alert).isIn("critical", "warning", "info");
            assertThat(rule.path("annotations").path("summary").asText()).as(alert).isNotBlank();
            assertThat(rule.path("annotations").path("description").asText()).as(alert).isNotBlank();
        }
        assertThat(rules.stream().map(r -> r.path("alert").asText())).doesNotHaveDuplicates();
    }

    @Test
    void everyExpressionParses() throws Exception {
        List<String> expressions = alertRules().stream().map(rule -> rule.path("expr").asText()).toList();

        DeployScript run = DeployScript.run("check-promql.sh", expressions);

        assertThat(run.exitCode()).as(run.output()).isZero();
    }

    @Test
    void anExpressionThatDoesNotParseIsReported() throws Exception {
        DeployScript run = DeployScript.run("check-promql.sh", List.of("sum(rate(apex_actions_requests_total[5m]))",
                "max by (pod (apex_plugins{state=\"failed\"}) > 0"));

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.output())
                .contains("\"max by (pod (apex_plugins{state=\\\"failed\\\"}) > 0\": 1:13: parse error: unexpected \"(\" "
                        + "in grouping opts")
                .doesNotContain("sum(rate(");
    }

    @Test
    void thePodMonitorScrapesTheMetricsPortOfTheDeploymentsPodsAndNothingIsScrapedTwice() {
        JsonNode monitor = DeployFiles.single("PodMonitor").object().path("spec");
        JsonNode pod = DeployFiles.single("Deployment").object().path("spec").path("template");

        monitor.path("selector").path("matchLabels").fields().forEachRemaining(label -> assertThat(
                pod.path("metadata").path("labels").path(label.getKey()).asText()).as("pod label %s", label.getKey())
                .isEqualTo(label.getValue().asText()));
        List<String> ports = pod.path("spec").path("containers").findValues("ports").stream()
                .flatMap(list -> java.util.stream.StreamSupport.stream(list.spliterator(), false))
                .map(port -> port.path("name").asText()).toList();
        assertThat(monitor.path("podMetricsEndpoints")).singleElement().satisfies(endpoint -> {
            assertThat(ports).contains(endpoint.path("port").asText());
            assertThat(endpoint.path("path").asText()).isEqualTo("/q/metrics");
        });
        // Annotation-based scraping reads the pods; a Service annotated as well would count every replica twice.
        assertThat(pod.path("metadata").path("annotations").path("prometheus.io/path").asText()).isEqualTo("/q/metrics");
        assertThat(DeployFiles.single("Service").object().path("metadata").path("annotations").has("prometheus.io/scrape"))
                .isFalse();
    }

    /** @return the rules of every PrometheusRule under deploy/kubernetes */
    static List<JsonNode> alertRules() {
        List<JsonNode> rules = new ArrayList<>();
        for (DeployFiles.Manifest manifest : DeployFiles.manifests("PrometheusRule")) {
            for (JsonNode group : manifest.object().path("spec").path("groups")) {
                group.path("rules").forEach(rules::add);
            }
        }
        return rules;
    }
}
