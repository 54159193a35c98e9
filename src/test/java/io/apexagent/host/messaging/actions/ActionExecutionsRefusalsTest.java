package io.apexagent.host.messaging.actions;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.vertx.pgclient.PgException;

/** Which refusals of PostgreSQL a request is answered for, and which are retried as possibly everyone's. */
class ActionExecutionsRefusalsTest {

    @Test
    void onlyRefusalsOfARequestsOwnValuesAreAnsweredTheRestIsRetried() {
        for (String own : new String[] { "22001", "22003", "22021", "22P05", "23514" }) {
            assertThat(ActionExecutions.refusedForItsOwnValues(refusal(own))).as(own).isTrue();
            assertThat(ActionExecutions.refusedForItsContent(refusal(own))).as(own).isTrue();
        }
        // A NOT NULL column added by a newer migration, a bad interval setting: every request's claim is refused.
        for (String everyones : new String[] { "23502", "22008", "22023" }) {
            assertThat(ActionExecutions.refusedForItsOwnValues(refusal(everyones))).as(everyones).isFalse();
        }
        assertThat(ActionExecutions.refusedForItsOwnValues(refusal("08006"))).as("connection failure").isFalse();
        assertThat(ActionExecutions.refusedForItsOwnValues(new IllegalStateException("pool closed"))).isFalse();
    }

    private static PgException refusal(String sqlState) {
        return new PgException("refused", "ERROR", sqlState, null);
    }
}
