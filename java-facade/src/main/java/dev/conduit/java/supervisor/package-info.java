/**
 * Goroutine lifecycles for Java: the facade of the core's {@code dev.conduit.supervisor}. A
 * {@link dev.conduit.java.supervisor.GoroutineManager} runs named goroutines under a limit,
 * lists them, reports their errors with their names, shuts them down in phases and runs their
 * {@code defer} cleanups; a {@link dev.conduit.java.supervisor.Supervisor} runs a tree of
 * {@link dev.conduit.java.supervisor.SupervisedChild}ren (Erlang/OTP's supervisors: restart
 * strategies and types, restart intensity escalating to the parent, backoff, ordered start and
 * reverse stop, health checks) from a {@link dev.conduit.java.supervisor.SupervisorConfig}. Each type is made by {@code create(...)} (or by the object that owns
 * it), views a core object with {@code wrap(core)}, and gives it back to Kotlin code with
 * {@code unwrap()}; the core's snapshot, event and report types are used as they are. Tasks and
 * cleanups run on goroutine threads (virtual on JDK 21+) and may block; a force-cancelled one
 * has its thread interrupted. Blocking calls end with {@link java.lang.InterruptedException}
 * when interrupted; {@code ...Async} calls return a {@code CompletableFuture}; {@code try...}
 * calls never block. Everything is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.conduit.java.supervisor;

import org.jspecify.annotations.NullMarked;
