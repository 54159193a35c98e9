package io.apexagent.host.messaging.actions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.infrastructure.Infrastructure;

class WithoutContextPropagationTest {

    @Test
    void operatorCallbacksAssembledInsideAreNotWrappedAndOutsideTheyStillAre() {
        Supplier<String> callback = () -> "item";

        assertThat(WithoutContextPropagation.get(() -> Infrastructure.decorate(callback))).isSameAs(callback);
        assertThat(Infrastructure.decorate(callback)).as("the default is left alone").isNotSameAs(callback);
    }
}
