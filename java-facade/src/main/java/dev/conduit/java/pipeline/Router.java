package dev.conduit.java.pipeline;

import dev.conduit.java.chan.ReceiveChannel;
import dev.conduit.pipeline.DeadLetter;
import java.util.Objects;
import java.util.Set;

/**
 * The outputs of a Java content-based multiplexer ({@link Pipeline#multiplex},
 * {@link Pipeline#multiplexByKey}): one channel per route, and the dead letters for messages no
 * route took. All close when the input closes or the pipeline is cancelled. Made by those
 * methods (so it has no {@code create}); {@link #wrap(dev.conduit.pipeline.Router)} is the Java
 * view of a Kotlin router and {@link #unwrap()} the Kotlin router behind this one. Thread-safe.
 *
 * @param <K> the route key type
 * @param <T> the message type
 */
public final class Router<K, T> {
    private final dev.conduit.pipeline.Router<K, T> router;

    private Router(dev.conduit.pipeline.Router<K, T> router) {
        this.router = router;
    }

    /**
     * The Java view of a Kotlin router: the same router. Never blocks.
     *
     * @param <K> the route key type
     * @param <T> the message type
     * @param router the Kotlin router to share
     * @return a Java view of {@code router}
     * @throws NullPointerException if {@code router} is null
     */
    public static <K, T> Router<K, T> wrap(dev.conduit.pipeline.Router<K, T> router) {
        return new Router<>(Objects.requireNonNull(router, "router"));
    }

    /**
     * The route keys, in declaration order. Never blocks.
     *
     * @return the route keys
     */
    public Set<K> keys() {
        return router.getRoutes();
    }

    /**
     * The output of route {@code key}. Never blocks.
     *
     * @param key the route whose output to return
     * @return the channel of the messages sent to route {@code key}
     * @throws IllegalArgumentException if there is no such route
     * @throws NullPointerException if {@code key} is null
     */
    public ReceiveChannel<T> get(K key) {
        return ReceiveChannel.wrap(router.get(Objects.requireNonNull(key, "key")));
    }

    /**
     * Messages no route took, with the reason. Never blocks.
     *
     * @return the channel of the dead letters
     */
    public ReceiveChannel<DeadLetter<T>> deadLetters() {
        return ReceiveChannel.wrap(router.getDeadLetters());
    }

    /**
     * The Kotlin router behind this view: the same instance every call. Never blocks.
     *
     * @return the Kotlin router behind this view
     */
    public dev.conduit.pipeline.Router<K, T> unwrap() {
        return router;
    }

    @Override
    public String toString() {
        return router.toString();
    }
}
