package dev.conduit.supervisor

import kotlin.time.Duration

/**
 * The one spec a dynamic ([RestartStrategy.SIMPLE_ONE_FOR_ONE]) supervisor makes its children
 * from: [Supervisor.startChild]`(args)` calls [factory] with `args` and runs the child it returns
 * with this template's settings, under the id `"$name-N"` (N counting from 1 for each run of
 * the supervisor). Erlang/OTP's `simple_one_for_one` child spec, whose start function gets the
 * extra arguments. Immutable.
 *
 * ```
 * val template = ChildTemplate("conn", restart = RestartType.TRANSIENT) { args -> Connection(args as Socket) }
 * ```
 *
 * @param name the prefix of the children's ids.
 * @param restart as [ChildSpec.restart]. Default [RestartType.PERMANENT].
 * @param shutdownTimeout as [ChildSpec.shutdownTimeout]. Default 5 s.
 * @param healthInterval as [ChildSpec.healthInterval]. Default [Duration.INFINITE] (never).
 * @param factory makes a child from [Supervisor.startChild]'s argument, on the caller of
 *   [Supervisor.startChild], which throws what it throws.
 * @throws IllegalArgumentException if [name] is blank, or a duration is not positive.
 */
public class ChildTemplate(
    public val name: String,
    public val restart: RestartType = RestartType.PERMANENT,
    public val shutdownTimeout: Duration = ChildSpec.DEFAULT_SHUTDOWN_TIMEOUT,
    public val healthInterval: Duration = Duration.INFINITE,
    public val factory: (args: Any?) -> SupervisedChild,
) {
    init {
        require(name.isNotBlank()) { "name must not be blank, but was '$name'" }
        checkChildTimes(shutdownTimeout, healthInterval)
    }

    /** The spec of the child [id] running [child], which [factory] made. */
    internal fun spec(id: String, child: SupervisedChild): ChildSpec = ChildSpec(id, child, restart, shutdownTimeout, healthInterval)

    /** The name, restart type and timeouts. */
    override fun toString(): String =
        "ChildTemplate($name, $restart, shutdownTimeout=$shutdownTimeout, healthInterval=$healthInterval)"
}
