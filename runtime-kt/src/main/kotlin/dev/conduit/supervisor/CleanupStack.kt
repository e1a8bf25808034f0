package dev.conduit.supervisor

/**
 * The `defer` cleanups of a goroutine or a manager: pushed while it runs, run once, last in
 * first out, when it ends. A cleanup pushed while they run (by a cleanup) runs next; one pushed
 * after they have all run is refused.
 */
internal class CleanupStack(private val owner: () -> String) {
    private val lock = Any()

    /** `null` once every cleanup has run: the owner has ended. */
    private var stack: ArrayList<suspend () -> Unit>? = ArrayList()

    /** Registers [cleanup]. Never blocks. Throws [IllegalStateException] if they have already run. */
    fun push(cleanup: suspend () -> Unit) {
        synchronized(lock) {
            val s = stack ?: throw IllegalStateException("${owner()} has ended: its cleanups have already run")
            s.add(cleanup)
        }
    }

    /**
     * Runs every cleanup, the last pushed first; one that throws (anything, a cancellation
     * included) is passed to [onFailure] and the others still run. The caller runs this
     * non-cancellable.
     */
    suspend fun runAll(onFailure: (Throwable) -> Unit) {
        while (true) {
            val next = synchronized(lock) {
                val s = stack!!
                if (s.isEmpty()) {
                    stack = null
                    null
                } else {
                    s.removeAt(s.size - 1)
                }
            } ?: return
            try {
                next()
            } catch (e: Throwable) {
                onFailure(e)
            }
        }
    }
}
