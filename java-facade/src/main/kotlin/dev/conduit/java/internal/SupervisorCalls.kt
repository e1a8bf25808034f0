package dev.conduit.java.internal

import dev.conduit.context.Context
import dev.conduit.resilience.Backoff
import dev.conduit.supervisor.ChildSpec
import dev.conduit.supervisor.ChildTemplate
import dev.conduit.supervisor.RestartStrategy
import dev.conduit.supervisor.RestartType
import dev.conduit.supervisor.Supervisor
import dev.conduit.supervisor.SupervisorConfig
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext
import java.time.Duration
import java.util.concurrent.CompletableFuture
import kotlin.time.toJavaDuration
import kotlin.time.toKotlinDuration
import dev.conduit.java.supervisor.ChildTemplate as JavaTemplate
import dev.conduit.java.supervisor.SupervisedChild as JavaChild
import dev.conduit.supervisor.SupervisedChild as CoreChild

/**
 * The Java supervisor facade's bridge to the core's (`dev.conduit.java.supervisor` over
 * `dev.conduit.supervisor`): Java children as core children, whose blocking code runs on
 * goroutine threads ([callOnGoThread]: interrupted when the supervisor cancels the child hard);
 * `java.time` settings as `kotlin.time` ones; the core's suspending calls as blocking calls
 * ([Bridge.callBlocking]: an interrupt cancels the call) and futures ([Bridge.call]: cancelling
 * one cancels the call). The supervisor's own loop runs on [Dispatchers.Default], never on the
 * Java caller's thread.
 */
internal object SupervisorCalls {
    /** The core child running [child]'s methods on goroutine threads. */
    @JvmStatic
    fun coreChild(child: JavaChild): CoreChild = JavaBackedChild(child)

    @JvmStatic
    fun spec(id: String, child: CoreChild, restart: RestartType, shutdownTimeout: Duration, healthInterval: Duration?): ChildSpec =
        ChildSpec(id, child, restart, shutdownTimeout.toKotlinDuration(), kotlinOrInfinite(healthInterval))

    @JvmStatic
    fun template(name: String, restart: RestartType, shutdownTimeout: Duration, healthInterval: Duration?, factory: JavaTemplate.Factory): ChildTemplate =
        ChildTemplate(name, restart, shutdownTimeout.toKotlinDuration(), kotlinOrInfinite(healthInterval)) { args ->
            // The factory's result is non-null to Kotlin (JSpecify), which would flag an elvis here as useless; Java code may still return null.
            coreChild(java.util.Objects.requireNonNull(factory.create(args), "the template's factory returned null"))
        }

    @JvmStatic
    fun config(
        name: String,
        strategy: RestartStrategy,
        children: List<ChildSpec>,
        template: ChildTemplate?,
        maxRestarts: Int,
        period: Duration,
        backoff: Backoff,
    ): SupervisorConfig = SupervisorConfig(name, strategy, children, template, maxRestarts, period.toKotlinDuration(), backoff)

    /** A core duration for Java; [kotlin.time.Duration.INFINITE] becomes `null`. */
    @JvmStatic
    fun javaOrNull(d: kotlin.time.Duration): Duration? = if (d.isInfinite()) null else d.toJavaDuration()

    @JvmStatic
    fun shutdownTimeout(spec: ChildSpec): Duration? = javaOrNull(spec.shutdownTimeout)

    @JvmStatic
    fun healthInterval(spec: ChildSpec): Duration? = javaOrNull(spec.healthInterval)

    @JvmStatic
    fun shutdownTimeout(template: ChildTemplate): Duration? = javaOrNull(template.shutdownTimeout)

    @JvmStatic
    fun healthInterval(template: ChildTemplate): Duration? = javaOrNull(template.healthInterval)

    @JvmStatic
    fun period(config: SupervisorConfig): Duration = config.period.toJavaDuration()

    @JvmStatic
    fun delay(backoff: Backoff, restart: Int): Duration = backoff.delay(restart).toJavaDuration()

    private fun kotlinOrInfinite(d: Duration?): kotlin.time.Duration = d?.toKotlinDuration() ?: kotlin.time.Duration.INFINITE

    /** [Supervisor.run], blocking until it returns; an interrupt stops the supervisor (its children first). */
    @JvmStatic
    @Throws(InterruptedException::class)
    fun run(sup: Supervisor, ctx: Context) {
        Bridge.callBlocking { withContext(Dispatchers.Default) { sup.run(ctx) } }
    }

    /** [Supervisor.run] as a future; cancelling it stops the supervisor. */
    @JvmStatic
    fun runAsync(sup: Supervisor, ctx: Context): CompletableFuture<Void?> =
        Bridge.call { withContext(Dispatchers.Default) { sup.run(ctx) }; null }

    /** [Supervisor.startChild], blocking until the child's run has begun. */
    @JvmStatic
    @Throws(InterruptedException::class)
    fun startChild(sup: Supervisor, args: Any?): String = Bridge.callBlocking { sup.startChild(args) }

    /** [Supervisor.terminateChild], blocking until the child has stopped. */
    @JvmStatic
    @Throws(InterruptedException::class)
    fun terminateChild(sup: Supervisor, id: String): Boolean = Bridge.callBlocking { sup.terminateChild(id) }

    private class JavaBackedChild(val java: JavaChild) : CoreChild {
        override suspend fun run(ctx: Context) = callOnGoThread { java.run(ctx) }

        override suspend fun health(): Boolean = callOnGoThread { java.health() }

        override suspend fun shutdown(ctx: Context) = callOnGoThread { java.shutdown(ctx) }

        override fun toString(): String = java.toString()
    }
}
