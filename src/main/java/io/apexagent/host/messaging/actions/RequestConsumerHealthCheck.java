package io.apexagent.host.messaging.actions;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the action request consumer polls its topic; not ready before, while stopping, or if its thread died.
 * Its data also counts the requests whose handling failed and that are being run again.
 */
@Readiness
@ApplicationScoped
public class RequestConsumerHealthCheck implements HealthCheck {

    /** Name of the check in {@code /q/health/ready}. */
    public static final String NAME = "Action request consumer";

    private final ActionRequestPolling polling;

    RequestConsumerHealthCheck(ActionRequestPolling polling) {
        this.polling = polling;
    }

    @Override
    public HealthCheckResponse call() {
        RequestPoller.State state = polling.state();
        return HealthCheckResponse.named(NAME)
                .status(state == RequestPoller.State.POLLING)
                .withData("topic", ActionRequestConsumer.TOPIC)
                .withData("state", state.name().toLowerCase(java.util.Locale.ROOT))
                // Still ready: the others are served. Above 0 for long, a request keeps failing (see the log).
                .withData("requests_being_run_again", polling.retrying())
                .build();
    }
}
