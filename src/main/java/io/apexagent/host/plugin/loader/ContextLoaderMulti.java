package io.apexagent.host.plugin.loader;

import java.util.concurrent.Flow;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.AbstractMulti;
import io.smallrye.mutiny.subscription.MultiSubscriber;

/**
 * A {@code Multi} operator that subscribes upstream, and forwards each {@code request}/{@code cancel},
 * with a given context class loader. Thread-safe.
 */
final class ContextLoaderMulti<T> extends AbstractMulti<T> {

    private final Multi<T> upstream;
    private final ClassLoader loader;

    ContextLoaderMulti(Multi<T> upstream, ClassLoader loader) {
        this.upstream = upstream;
        this.loader = loader;
    }

    @Override
    public void subscribe(MultiSubscriber<? super T> downstream) {
        try (LoaderSwap swap = LoaderSwap.to(loader)) {
            upstream.subscribe().withSubscriber(new Forwarder(downstream));
        }
    }

    private final class Forwarder implements MultiSubscriber<T> {
        private final MultiSubscriber<? super T> downstream;

        Forwarder(MultiSubscriber<? super T> downstream) {
            this.downstream = downstream;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            downstream.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {
                    try (LoaderSwap swap = LoaderSwap.to(loader)) {
                        subscription.request(n);
                    }
                }

                @Override
                public void cancel() {
                    try (LoaderSwap swap = LoaderSwap.to(loader)) {
                        subscription.cancel();
                    }
                }
            });
        }

        @Override
        public void onItem(T item) {
            downstream.onItem(item);
        }

        @Override
        public void onFailure(Throwable failure) {
            downstream.onFailure(failure);
        }

        @Override
        public void onCompletion() {
            downstream.onCompletion();
        }
    }
}
