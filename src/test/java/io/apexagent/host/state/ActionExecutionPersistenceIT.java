package io.apexagent.host.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;

/** action_execution rows are written transactionally and a stale writer is caught by the optimistic lock. */
@QuarkusTest
class ActionExecutionPersistenceIT {

    @Test
    void staleWriterIsRefusedByTheOptimisticLock() throws Throwable {
        String id = "req-" + UUID.randomUUID();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> {
            ActionExecutionEntity row = new ActionExecutionEntity();
            row.requestId = id;
            row.pluginId = "echo";
            row.action = "echo";
            row.status = "RUNNING";
            row.nodeId = "test-node";
            row.createdAt = now;
            row.updatedAt = now;
            return row.persist();
        }));
        ActionExecutionEntity stale = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(
                () -> ActionExecutionEntity.<ActionExecutionEntity>findById(id)));

        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(
                () -> ActionExecutionEntity.<ActionExecutionEntity>findById(id).invoke(row -> row.status = "SUCCEEDED")));
        stale.status = "FAILED";
        assertThatThrownBy(() -> VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(
                () -> Panache.getSession().flatMap(s -> s.merge(stale)))))
                .satisfies(e -> assertThat(StateFailures.isConflict(e)).isTrue());

        ActionExecutionEntity read = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(
                () -> ActionExecutionEntity.<ActionExecutionEntity>findById(id)));
        assertThat(read.status).isEqualTo("SUCCEEDED");
        assertThat(read.version).isEqualTo(1);
    }
}
