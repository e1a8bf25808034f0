/**
 * Conduit's core: Go's channels, {@code select}, goroutines and {@code context} on
 * kotlinx.coroutines, with the sync primitives, pipelines, the rate limiter and the lock-free
 * rings built on them. Every package is public API; Java code usually reaches it through the
 * {@code dev.conduit.java} module (the facade), which reads this one transitively.
 */
module dev.conduit.runtime {
    // In the public signatures: kotlin.time.Duration, function types, CoroutineScope, Flow, Job.
    requires transitive kotlin.stdlib;
    requires transitive kotlinx.coroutines.core;
    // @Nullable / @NullMarked are for compilers and checkers; the runtime does without them.
    requires static org.jspecify;
    // The pool's and the circuit breaker's MeterBinders only: the core runs without Micrometer.
    requires static micrometer.core;
    // GoLeakExtension only: the core runs without JUnit.
    requires static org.junit.jupiter.api;
    // GoLeakKotestExtension only. Kotest's jars name no module: this is the name the JDK gives
    // kotest-framework-engine-jvm-<version>.jar on a module path.
    requires static kotest.framework.engine.jvm;

    exports dev.conduit;
    exports dev.conduit.chan;
    exports dev.conduit.chan.spi;
    exports dev.conduit.context;
    exports dev.conduit.pipeline;
    exports dev.conduit.pool;
    exports dev.conduit.resilience;
    exports dev.conduit.ring;
    exports dev.conduit.supervisor;
    exports dev.conduit.sync;
    exports dev.conduit.testing;
}
