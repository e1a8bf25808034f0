package dev.conduit.sync

import dev.conduit.context.Context

/**
 * Locks every mutex of [mutexes], in the one global order of [Mutex.order] whatever order they
 * are given in, so that callers locking overlapping sets this way never deadlock one another.
 * Suspends for each lock as [Mutex.lock] does; if one fails ([ctx] done, the coroutine
 * cancelled), the ones taken are unlocked again, in reverse, before the failure is thrown, so
 * that on any exception none is held. Give them back with [unlockAll].
 *
 * @throws IllegalArgumentException if a mutex is given twice (it would wait for itself); nothing is locked.
 * @throws dev.conduit.context.ContextException [Context.err] if [ctx] is done first.
 * @throws kotlinx.coroutines.CancellationException if the coroutine is cancelled.
 * @throws LockOrderException (or what the [LockOrder] handler throws) as [Mutex.lock] does.
 */
public suspend fun lockAll(vararg mutexes: Mutex, ctx: Context = Context.background()) {
    lockInOrder(mutexes.asList()) { it.lock(ctx) }
}

/**
 * [lockAll] for a blocked thread: locks every mutex of [mutexes] in the global order with
 * [Mutex.lockBlocking] (the Java facade's `Mutex.lockAll`). Blocks; on any exception none is held.
 *
 * @throws IllegalArgumentException if a mutex is given twice; nothing is locked.
 * @throws dev.conduit.context.ContextException [Context.err] if [ctx] is done first.
 * @throws InterruptedException if interrupted while waiting.
 */
@JvmOverloads
@Throws(InterruptedException::class)
public fun lockAllBlocking(mutexes: List<Mutex>, ctx: Context? = null) {
    lockInOrder(mutexes) { it.lockBlocking(ctx) }
}

/**
 * Unlocks every mutex of [mutexes], in the reverse of the global order [lockAll] took them in.
 * Never blocks.
 *
 * @throws IllegalStateException if one is not locked; the ones after it in that order are then
 *   still unlocked, and the first such error thrown at the end.
 */
public fun unlockAll(vararg mutexes: Mutex) {
    var first: IllegalStateException? = null
    for (m in mutexes.sortedByDescending { it.order }) {
        try {
            m.unlock()
        } catch (e: IllegalStateException) {
            if (first == null) first = e else first.addSuppressed(e)
        }
    }
    first?.let { throw it }
}

/**
 * Runs [action] holding every mutex of [mutexes] ([lockAll]), and unlocks them however it
 * ends. Suspends to lock.
 */
public suspend inline fun <T> withLockAll(vararg mutexes: Mutex, ctx: Context = Context.background(), action: () -> T): T {
    lockAll(*mutexes, ctx = ctx)
    try {
        return action()
    } finally {
        unlockAll(*mutexes)
    }
}

/** Locks [mutexes] with [lockOne] in the global order; on a failure, unlocks the ones taken, in reverse. */
private inline fun lockInOrder(mutexes: List<Mutex>, lockOne: (Mutex) -> Unit) {
    val ordered = mutexes.sortedBy { it.order }
    for (i in 1 until ordered.size) {
        require(ordered[i] !== ordered[i - 1]) { "mutexes must be distinct, but ${ordered[i].describe()} is given twice" }
    }
    var taken = 0
    try {
        for (m in ordered) {
            lockOne(m)
            taken++
        }
    } catch (e: Throwable) {
        for (i in taken - 1 downTo 0) ordered[i].unlock()
        throw e
    }
}
