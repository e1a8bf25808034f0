package dev.conduit.sync

/**
 * A task started by [ErrGroup.fork] (Java: `ErrGroup.fork`): its name, its state and, once it
 * has ended, the value it returned or what it threw. The group waits for it as for any task;
 * read its outcome after [ErrGroup.wait] (or the Java group's `await`), as with the JDK's
 * `StructuredTaskScope.Subtask`.
 *
 * Thread-safe; nothing here suspends or blocks.
 */
public class Subtask<out T> internal constructor(
    /** How the group reports a failure of this task: the name it was given, or its number. */
    public val name: String,
) {
    /** Where a [Subtask] is in its life. */
    public enum class State {
        /** Started and not ended yet. */
        RUNNING,

        /** Returned a value: [get] gives it. */
        SUCCEEDED,

        /** Threw: [exception] gives what, and the group counts it as a failure. */
        FAILED,

        /**
         * Stopped because the group's context was done (an earlier failure, a cancelled parent,
         * or the group being cancelled): not a failure of its own, and it has no value.
         */
        CANCELLED,
    }

    @Volatile
    private var outcome: Any? = Running

    private object Running

    private class Failed(val error: Throwable)

    private object Cancelled

    /** This task's state now. Never blocks. */
    public val state: State
        get() = when (outcome) {
            Running -> State.RUNNING
            Cancelled -> State.CANCELLED
            is Failed -> State.FAILED
            else -> State.SUCCEEDED
        }

    /**
     * The value the task returned. Never blocks.
     *
     * @throws IllegalStateException if the task has not [succeeded][State.SUCCEEDED]: the
     *   message names the task and its state, and for a failed task the cause is what it threw.
     */
    public fun get(): T {
        val o = outcome
        if (o === Running || o === Cancelled) throw IllegalStateException(notIn(State.SUCCEEDED))
        if (o is Failed) throw IllegalStateException(notIn(State.SUCCEEDED), o.error)
        @Suppress("UNCHECKED_CAST")
        return o as T
    }

    /**
     * What the task threw, as it threw it. Never blocks.
     *
     * @throws IllegalStateException if the task has not [failed][State.FAILED].
     */
    public fun exception(): Throwable = (outcome as? Failed)?.error ?: throw IllegalStateException(notIn(State.FAILED))

    private fun notIn(wanted: State): String = "task '$name' is ${state.name.lowercase()}, not ${wanted.name.lowercase()}"

    @JvmSynthetic
    internal fun succeeded(value: @UnsafeVariance T) {
        outcome = value
    }

    @JvmSynthetic
    internal fun failed(error: Throwable) {
        outcome = Failed(error)
    }

    @JvmSynthetic
    internal fun cancelled() {
        outcome = Cancelled
    }

    override fun toString(): String = "Subtask($name, ${state.name.lowercase()})"
}
