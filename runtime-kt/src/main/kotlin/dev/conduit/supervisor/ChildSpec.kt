package dev.conduit.supervisor

import kotlin.time.Duration
import kotlin.time.Duration.Companion.seconds

/**
 * One child of a [Supervisor]: its [id], what runs ([child]), when it is restarted ([restart]),
 * how long it may take to stop ([shutdownTimeout]) and how often its health is polled
 * ([healthInterval]). Immutable. A [Supervisor] is itself a [SupervisedChild], so a spec whose
 * child is a supervisor nests trees; its [shutdownTimeout] is [Duration.INFINITE] by default
 * (OTP's `infinity` for supervisors), so that it stops its own children with their own timeouts.
 *
 * ```
 * val spec = ChildSpec("cache", cache, restart = RestartType.PERMANENT, shutdownTimeout = 2.seconds)
 * ```
 *
 * @param id the child's name, unique among its supervisor's children; in every event and snapshot.
 * @param child what runs.
 * @param restart when it is restarted after ending on its own. Default [RestartType.PERMANENT].
 * @param shutdownTimeout how long it has to stop once asked (its context cancelled and
 *   [SupervisedChild.shutdown] called) before its coroutine is cancelled; as long again after
 *   that, and it is abandoned. [Duration.INFINITE] waits for ever. Default 5 s, or
 *   [Duration.INFINITE] for a [Supervisor] child.
 * @param healthInterval how often [SupervisedChild.health] is polled while it runs (each check
 *   must answer within this interval, or it counts as unhealthy); [Duration.INFINITE] (the
 *   default) for never.
 * @throws IllegalArgumentException if [id] is blank, or a duration is not positive.
 */
public class ChildSpec(
    public val id: String,
    public val child: SupervisedChild,
    public val restart: RestartType = RestartType.PERMANENT,
    public val shutdownTimeout: Duration = if (child is Supervisor) Duration.INFINITE else DEFAULT_SHUTDOWN_TIMEOUT,
    public val healthInterval: Duration = Duration.INFINITE,
) {
    init {
        require(id.isNotBlank()) { "id must not be blank, but was '$id'" }
        checkChildTimes(shutdownTimeout, healthInterval)
    }

    /** The id, restart type and timeouts. */
    override fun toString(): String =
        "ChildSpec($id, $restart, shutdownTimeout=$shutdownTimeout, healthInterval=$healthInterval)"

    internal companion object {
        val DEFAULT_SHUTDOWN_TIMEOUT: Duration = 5.seconds
    }
}

/** The duration rules [ChildSpec] and [ChildTemplate] share. */
internal fun checkChildTimes(shutdownTimeout: Duration, healthInterval: Duration) {
    require(shutdownTimeout.isPositive()) { "shutdownTimeout must be > 0, but was $shutdownTimeout" }
    require(healthInterval.isPositive()) { "healthInterval must be > 0, but was $healthInterval" }
}
