package dev.conduit.supervisor

import dev.conduit.resilience.Backoff
import kotlin.time.Duration
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

/**
 * How a [Supervisor] supervises: its [name], [strategy], its [children] (or, for
 * [RestartStrategy.SIMPLE_ONE_FOR_ONE], the [template] it makes them from), its restart
 * intensity (at most [maxRestarts] restarts in any [period]) and the [backoff] before each
 * restart. Immutable. Kotlin names the settings it changes (the Java facade's
 * `SupervisorConfig.builder()` makes the same object):
 *
 * ```
 * val config = SupervisorConfig(
 *     name = "app",
 *     strategy = RestartStrategy.REST_FOR_ONE,
 *     children = listOf(ChildSpec("db", db), ChildSpec("api", api)),
 *     maxRestarts = 5, period = 10.seconds,
 *     backoff = Backoff.fullJitter(50.milliseconds, max = 2.seconds),
 * )
 * ```
 *
 * ## Intensity and backoff
 * Each restart (of one child, or of a group under [RestartStrategy.ONE_FOR_ALL] and
 * [RestartStrategy.REST_FOR_ONE]) is counted in a sliding window of [period] on the context's
 * clock; the restart that would make it more than [maxRestarts] is not made: the supervisor
 * stops its children and fails ([SupervisorFailedException]), and its own supervisor, if any,
 * decides. A restart waits `backoff.delay(n)` first, where `n` counts the restarts of the child
 * that ended within the last [period], this one included (so 1 after a quiet spell).
 *
 * @param name the supervisor's name, in every event. Default "supervisor".
 * @param strategy which children restart together. Default [RestartStrategy.ONE_FOR_ONE].
 * @param children the children, started in this order, stopped in reverse; empty for
 *   [RestartStrategy.SIMPLE_ONE_FOR_ONE].
 * @param template what [Supervisor.startChild] makes children from: required for
 *   [RestartStrategy.SIMPLE_ONE_FOR_ONE], `null` for the other strategies.
 * @param maxRestarts the most restarts in any [period]; 0 fails at the first. Default 3.
 * @param period the window of [maxRestarts]. Default 5 s.
 * @param backoff the wait before a restart. Default full jitter below 100 ms doubling up to 10 s.
 * @throws IllegalArgumentException if [name] is blank, [maxRestarts] is negative, [period] is
 *   not positive and finite, two children share an id, or [children] and [template] do not
 *   suit [strategy].
 */
public class SupervisorConfig(
    public val name: String = "supervisor",
    public val strategy: RestartStrategy = RestartStrategy.ONE_FOR_ONE,
    children: List<ChildSpec> = emptyList(),
    public val template: ChildTemplate? = null,
    public val maxRestarts: Int = 3,
    public val period: Duration = 5.seconds,
    public val backoff: Backoff = DEFAULT_BACKOFF,
) {
    /** The children, in start order (a copy of the list given). */
    public val children: List<ChildSpec> = children.toList()

    init {
        require(name.isNotBlank()) { "name must not be blank, but was '$name'" }
        require(maxRestarts >= 0) { "maxRestarts must be >= 0, but was $maxRestarts" }
        require(period.isPositive() && period.isFinite()) { "period must be > 0 and finite, but was $period" }
        val seen = HashSet<String>()
        for (c in this.children) require(seen.add(c.id)) { "children ids must be unique, but '${c.id}' appears twice" }
        if (strategy == RestartStrategy.SIMPLE_ONE_FOR_ONE) {
            require(template != null) { "a SIMPLE_ONE_FOR_ONE supervisor needs a template, but template was null" }
            require(this.children.isEmpty()) {
                "a SIMPLE_ONE_FOR_ONE supervisor starts its children from its template, but was given ${this.children.size} children"
            }
        } else {
            require(template == null) { "only a SIMPLE_ONE_FOR_ONE supervisor takes a template, but strategy was $strategy" }
        }
    }

    /** The name, strategy, children's ids and intensity. */
    override fun toString(): String =
        "SupervisorConfig($name, $strategy, children=${children.map { it.id }}, template=$template, " +
            "maxRestarts=$maxRestarts, period=$period)"

    private companion object {
        val DEFAULT_BACKOFF: Backoff = Backoff.fullJitter(100.milliseconds, 2.0, 10.seconds)
    }
}
