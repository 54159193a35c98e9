package io.apexagent.host.messaging.actions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;

class GroupCommitTest {

    /** A statement that records each batch and completes only when the test says so. */
    static final class HeldStatement implements GroupCommit.Statement<Integer, String> {
        final List<List<Integer>> batches = new ArrayList<>();
        final List<UniEmitter<? super List<String>>> open = new ArrayList<>();

        @Override
        public Uni<List<String>> apply(List<Integer> items) {
            batches.add(items);
            return Uni.createFrom().emitter(open::add);
        }

        void completeNext() {
            List<Integer> items = batches.get(batches.size() - 1);
            open.remove(0).complete(items.stream().map(i -> "row " + i).toList());
        }
    }

    @Test
    void callersAreResumedThroughTheGivenStep() {
        HeldStatement statement = new HeldStatement();
        List<String> resumedInside = new ArrayList<>();
        boolean[] inside = {false};
        GroupCommit<Integer, String> commit = new GroupCommit<>(statement, 100, 1, completion -> {
            inside[0] = true;
            completion.run();
            inside[0] = false;
        }, e -> false);
        commit.submit(1).subscribe().with(result -> resumedInside.add(result + (inside[0] ? " inside" : " outside")));
        statement.completeNext();
        assertThat(resumedInside).containsExactly("row 1 inside");
    }

    @Test
    void aLoneItemIsWrittenAtOnceAndItemsArrivingMeanwhileShareTheNextStatement() {
        HeldStatement statement = new HeldStatement();
        GroupCommit<Integer, String> commit = new GroupCommit<>(statement, 100, 1);
        List<String> results = new ArrayList<>();
        commit.submit(1).subscribe().with(results::add);
        assertThat(statement.batches).containsExactly(List.of(1));
        for (int i = 2; i <= 5; i++) {
            commit.submit(i).subscribe().with(results::add);
        }
        assertThat(statement.batches).hasSize(1);
        assertThat(commit.waiting()).isEqualTo(4);

        statement.completeNext();
        assertThat(results).containsExactly("row 1");
        assertThat(statement.batches).containsExactly(List.of(1), List.of(2, 3, 4, 5));

        statement.completeNext();
        assertThat(results).containsExactly("row 1", "row 2", "row 3", "row 4", "row 5");
        assertThat(commit.waiting()).isZero();
    }

    @Test
    void withTwoStatementsAtOnceTheSecondItemIsWrittenWithoutWaitingForTheFirst() {
        HeldStatement statement = new HeldStatement();
        GroupCommit<Integer, String> commit = new GroupCommit<>(statement, 100, 2);
        for (int i = 1; i <= 4; i++) {
            commit.submit(i).subscribe().with(r -> { });
        }
        assertThat(statement.batches).containsExactly(List.of(1), List.of(2));
        assertThat(commit.waiting()).isEqualTo(2);
        statement.open.remove(0).complete(List.of("row 1"));
        assertThat(statement.batches).containsExactly(List.of(1), List.of(2), List.of(3, 4));
    }

    @Test
    void batchesAreCappedAtTheirMaximumSize() {
        HeldStatement statement = new HeldStatement();
        GroupCommit<Integer, String> commit = new GroupCommit<>(statement, 2, 1);
        for (int i = 1; i <= 5; i++) {
            commit.submit(i).subscribe().with(r -> { });
        }
        statement.completeNext();
        statement.completeNext();
        statement.completeNext();
        assertThat(statement.batches).containsExactly(List.of(1), List.of(2, 3), List.of(4, 5));
    }

    @Test
    void aFailedStatementFailsEveryItemOfItsBatchAndTheNextBatchStillRuns() {
        List<List<Integer>> batches = new ArrayList<>();
        List<UniEmitter<? super List<String>>> open = new ArrayList<>();
        GroupCommit<Integer, String> commit = new GroupCommit<>(items -> {
            batches.add(items);
            return Uni.createFrom().emitter(open::add);
        }, 10, 1);
        List<Throwable> failures = new ArrayList<>();
        List<String> results = new ArrayList<>();
        commit.submit(1).subscribe().with(results::add, failures::add);
        commit.submit(2).subscribe().with(results::add, failures::add);
        commit.submit(3).subscribe().with(results::add, failures::add);
        open.remove(0).fail(new IllegalStateException("database away"));
        assertThat(failures).hasSize(1).allSatisfy(e -> assertThat(e).hasMessage("database away"));
        assertThat(batches).containsExactly(List.of(1), List.of(2, 3));
        open.remove(0).complete(List.of("two", "three"));
        assertThat(results).containsExactly("two", "three");
    }

    @Test
    void aBatchRefusedForAnItemIsWrittenAgainItemByItemSoThatOnlyThatItemFails() {
        List<List<Integer>> statements = new ArrayList<>();
        List<UniEmitter<? super List<String>>> first = new ArrayList<>();
        GroupCommit<Integer, String> commit = new GroupCommit<>(items -> {
            statements.add(items);
            if (statements.size() == 1) {
                return Uni.createFrom().emitter(first::add); // held, so that the next items make one batch
            }
            return items.contains(13) ? Uni.createFrom().failure(new IllegalArgumentException("13 refused"))
                    : Uni.createFrom().item(items.stream().map(i -> "row " + i).toList());
        }, 100, 1, Runnable::run, e -> e instanceof IllegalArgumentException);
        List<String> results = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        for (int i : new int[] {0, 12, 13, 14}) {
            commit.submit(i).subscribe().with(results::add, failures::add);
        }
        first.get(0).complete(List.of("row 0"));
        assertThat(statements).containsExactly(List.of(0), List.of(12, 13, 14), List.of(12), List.of(13), List.of(14));
        assertThat(results).containsExactly("row 0", "row 12", "row 14");
        assertThat(failures).singleElement().satisfies(e -> assertThat(e).hasMessage("13 refused"));
        assertThat(commit.waiting()).isZero();
    }

    @Test
    void aStatementReturningTheWrongNumberOfResultsFailsItsItems() {
        GroupCommit<Integer, String> commit = new GroupCommit<>(items -> Uni.createFrom().item(List.of()), 10, 1);
        assertThatThrownBy(() -> commit.submit(1).await().indefinitely())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("returned 0 results for 1 items");
    }

    @Test
    void aBatchSizeBelowOneIsRefused() {
        assertThatThrownBy(() -> new GroupCommit<Integer, String>(items -> Uni.createFrom().item(List.of()), 0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 0 and 1");
        assertThatThrownBy(() -> new GroupCommit<Integer, String>(items -> Uni.createFrom().item(List.of()), 1, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 1 and 0");
    }
}
