/**
 * Conduit for Java: goroutines, channels and select, pipelines, Go's sync primitives and the rate
 * limiter as blocking and {@code CompletableFuture} calls. It reads {@code dev.conduit.runtime}
 * (the Kotlin core, whose {@code dev.conduit.context.Context} Java uses as it is) transitively, so
 * {@code requires dev.conduit.java;} is all a Java module needs. Its Kotlin bridge package,
 * {@code dev.conduit.java.internal}, is not exported.
 */
module dev.conduit.java {
    // Context, the core channels behind wrap/unwrap, and (through the runtime) kotlin.stdlib and
    // kotlinx.coroutines.core appear in this module's signatures.
    requires transitive dev.conduit.runtime;
    // Channel.asPublisher / Pipeline.fromPublisher bridge through it; only java.util.concurrent.Flow shows.
    requires kotlinx.coroutines.jdk9;
    // @Nullable / @NullMarked are for compilers and checkers; the runtime does without them.
    requires static org.jspecify;

    exports dev.conduit.java;
    exports dev.conduit.java.chan;
    exports dev.conduit.java.pipeline;
    exports dev.conduit.java.pool;
    exports dev.conduit.java.resilience;
    exports dev.conduit.java.sync;
    exports dev.conduit.java.supervisor;
}
