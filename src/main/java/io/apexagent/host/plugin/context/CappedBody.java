package io.apexagent.host.plugin.context;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.function.LongFunction;

/**
 * A response body read into memory up to a limit: a declared {@code Content-Length} above it fails before a
 * byte is read, and a body that grows past it fails as soon as it does, cancelling the rest. One per response.
 */
final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {

    private final long limit;
    private final long declaredLength;
    private final LongFunction<RuntimeException> tooLarge;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final CompletableFuture<byte[]> body = new CompletableFuture<>();
    private Flow.Subscription subscription;

    /**
     * @param limit          largest body accepted, in bytes
     * @param declaredLength the response's {@code Content-Length}, or -1
     * @param tooLarge       the failure for a body of (at least) so many bytes
     */
    CappedBody(long limit, long declaredLength, LongFunction<RuntimeException> tooLarge) {
        this.limit = limit;
        this.declaredLength = declaredLength;
        this.tooLarge = tooLarge;
    }

    /** @return a body handler capping every response at {@code limit} bytes */
    static HttpResponse.BodyHandler<byte[]> handler(long limit, LongFunction<RuntimeException> tooLarge) {
        return info -> new CappedBody(limit, info.headers().firstValueAsLong("content-length").orElse(-1), tooLarge);
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (declaredLength > limit) {
            refuse(declaredLength);
            return;
        }
        s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        if (body.isDone()) {
            return;
        }
        long size = received.size() + buffers.stream().mapToLong(ByteBuffer::remaining).sum();
        if (size > limit) {
            refuse(size);
            return;
        }
        for (ByteBuffer b : buffers) {
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            received.writeBytes(bytes);
        }
    }

    @Override
    public void onError(Throwable failure) {
        body.completeExceptionally(failure);
    }

    @Override
    public void onComplete() {
        body.complete(received.toByteArray());
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return body;
    }

    private void refuse(long size) {
        subscription.cancel();
        body.completeExceptionally(tooLarge.apply(size));
    }
}
