package dev.conduit.supervisor

import java.util.Collections

/**
 * One error raised under a [GoroutineManager], tagged with who raised it: a goroutine's code,
 * one of its cleanups, or one of the manager's own cleanups.
 */
public class ManagedGoroutineFailure(
    /** The name of the goroutine that raised it; for a manager's own cleanup, the manager's name. */
    public val goroutine: String,
    /** The goroutine's [ManagedGoroutine.id]; 0 for a manager's own cleanup. */
    public val goroutineId: Long,
    /** The name of the manager the goroutine ran in (`parent/child` for a child manager). */
    public val manager: String,
    /** What was thrown, as it was thrown. */
    public val error: Throwable,
    /** Whether a cleanup threw it (registered with `defer`), rather than the goroutine's code; Java: `isInCleanup()`. */
    @get:JvmName("isInCleanup")
    public val inCleanup: Boolean,
) {
    /** `worker-2 (#7 in crawler): java.io.IOException: disk full`, with `cleanup of` for a cleanup's error. Never blocks. */
    override fun toString(): String =
        (if (inCleanup) "cleanup of " else "") + "$goroutine (#$goroutineId in $manager): $error"
}

/**
 * Every error of a [GoroutineManager] (its goroutines', their cleanups' and its own cleanups',
 * and those of its child managers), as [GoroutineManager.wait] throws them: [failures] lists
 * each with the name of its goroutine, in the order they happened. The first error is also the
 * [cause], and every error is attached as [suppressed][Throwable.getSuppressed], so a stack
 * trace shows them all.
 */
public class GoroutineManagerException(
    /** The name of the manager that reports them. */
    public val manager: String,
    failures: List<ManagedGoroutineFailure>,
) : RuntimeException(message(manager, failures), failures.firstOrNull()?.error) {
    /** Each error with its goroutine, oldest first; never empty. Unmodifiable. */
    public val failures: List<ManagedGoroutineFailure> = Collections.unmodifiableList(ArrayList(failures))

    init {
        require(failures.isNotEmpty()) { "failures must not be empty" }
        for (f in failures) addSuppressed(f.error)
    }

    private companion object {
        fun message(manager: String, failures: List<ManagedGoroutineFailure>): String =
            "${failures.size} error(s) in manager '$manager': " + failures.joinToString("; ")
    }
}

/**
 * Thrown by [GoroutineManager.go], [GoroutineManager.tryGo] and [GoroutineManager.child] when the
 * manager no longer starts goroutines: it is shutting down, cancelled, or has ended. Misuse of
 * state, so an [IllegalStateException].
 */
public class GoroutineManagerClosedException(
    /** The name of the manager that refused. */
    public val manager: String,
    /** The manager's state when it refused. */
    public val state: GoroutineManagerState,
) : IllegalStateException("manager '$manager' is $state: it starts no more goroutines")
