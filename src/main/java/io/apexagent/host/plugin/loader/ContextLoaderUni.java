package io.apexagent.host.plugin.loader;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.operators.AbstractUni;
import io.smallrye.mutiny.subscription.UniSubscriber;

/** A {@code Uni} operator that subscribes upstream with a given context class loader. Thread-safe. */
final class ContextLoaderUni<T> extends AbstractUni<T> {

    private final Uni<T> upstream;
    private final ClassLoader loader;

    ContextLoaderUni(Uni<T> upstream, ClassLoader loader) {
        this.upstream = upstream;
        this.loader = loader;
    }

    @Override
    public void subscribe(UniSubscriber<? super T> subscriber) {
        try (LoaderSwap swap = LoaderSwap.to(loader)) {
            AbstractUni.subscribe(upstream, subscriber);
        }
    }
}
