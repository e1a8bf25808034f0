package dev.conduit.pipeline

import dev.conduit.chan.Chan
import dev.conduit.chan.ReceiveChan
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.launch
import kotlin.coroutines.cancellation.CancellationException

/**
 * A message no route of a [Router] took: the [message], and why ([error] if choosing a route
 * threw).
 */
public class DeadLetter<out T>(public val message: T, public val reason: String, public val error: Throwable? = null) {
    override fun toString(): String = "DeadLetter($message: $reason)"
}

/**
 * The outputs of a content-based multiplexer ([multiplex] or [multiplexByKey]): one channel per
 * route, and [deadLetters] for messages no route took. All close when the input closes or the
 * scope is cancelled.
 */
public class Router<K, T> internal constructor(
    private val outputs: Map<K, ReceiveChan<T>>,
    /** Messages no route took, with the reason. */
    public val deadLetters: ReceiveChan<DeadLetter<T>>,
) {
    /** The routes, in the order they were declared. */
    public val routes: Set<K> get() = outputs.keys

    /**
     * The output of route [key].
     *
     * @throws IllegalArgumentException if there is no such route.
     */
    public operator fun get(key: K): ReceiveChan<T> =
        requireNotNull(outputs[key]) { "no route $key; routes are ${outputs.keys}" }

    override fun toString(): String = "Router(routes=${outputs.keys})"
}

/** Declares the routes of a [multiplex]: each a name and a predicate, tried in order. */
public class RouteBuilder<T> internal constructor() {
    internal val routes = LinkedHashMap<String, Pair<(T) -> Boolean, Int>>()

    /**
     * Adds route [name] taking the messages for which [predicate] holds (and no earlier route
     * took), with an output buffer of [capacity].
     *
     * @throws IllegalArgumentException if [name] is taken or [capacity] is negative.
     */
    public fun route(name: String, capacity: Int = 0, predicate: (T) -> Boolean) {
        require(name !in routes) { "route $name is declared twice" }
        require(capacity >= 0) { "capacity must be >= 0, but was $capacity" }
        routes[name] = predicate to capacity
    }
}

/**
 * Content-based multiplexer by predicate: each message of [input] goes to the first route (in
 * declaration order) whose predicate holds, or to the dead letters if none does or a predicate
 * throws. Sends block, so a slow route slows the router (and its producer). Never blocks.
 *
 * ```
 * val router = multiplex(orders) {
 *     route("big") { it.amount > 10_000 }
 *     route("eu") { it.region == "EU" }
 * }
 * ```
 *
 * @throws IllegalArgumentException if no route is declared or [deadLetterCapacity] < 0.
 */
public fun <T> CoroutineScope.multiplex(
    input: ReceiveChan<T>,
    deadLetterCapacity: Int = 0,
    build: RouteBuilder<T>.() -> Unit,
): Router<String, T> {
    val routes = RouteBuilder<T>().apply(build).routes
    require(routes.isNotEmpty()) { "declare at least one route" }
    val outputs = routes.mapValuesTo(LinkedHashMap()) { (_, route) -> Chan<T>(route.second) }
    val predicates = routes.entries.map { (name, route) -> route.first to outputs.getValue(name) }
    return startRouter(input, outputs, deadLetterCapacity) { message ->
        predicates.firstOrNull { (matches, _) -> matches(message) }?.second
    }
}

/**
 * Content-based multiplexer by key: each message of [input] goes to the output for
 * `key(message)` among [keys], or to the dead letters if its key is not one of them or [key]
 * throws. Sends block, as for [multiplex]. Never blocks.
 *
 * @throws IllegalArgumentException if [keys] is empty, or a capacity is negative.
 */
public fun <T, K> CoroutineScope.multiplexByKey(
    input: ReceiveChan<T>,
    keys: Collection<K>,
    capacity: Int = 0,
    deadLetterCapacity: Int = 0,
    key: (T) -> K,
): Router<K, T> {
    require(keys.isNotEmpty()) { "keys must not be empty" }
    require(capacity >= 0) { "capacity must be >= 0, but was $capacity" }
    val outputs = keys.associateWithTo(LinkedHashMap()) { Chan<T>(capacity) }
    return startRouter(input, outputs, deadLetterCapacity) { outputs[key(it)] }
}

/** The routing loop shared by both multiplexers; [choose] returns null for "no route". */
private fun <K, T> CoroutineScope.startRouter(
    input: ReceiveChan<T>,
    outputs: Map<K, Chan<T>>,
    deadLetterCapacity: Int,
    choose: (T) -> Chan<T>?,
): Router<K, T> {
    require(deadLetterCapacity >= 0) { "deadLetterCapacity must be >= 0, but was $deadLetterCapacity" }
    val dead = Chan<DeadLetter<T>>(deadLetterCapacity)
    launch {
        try {
            for (message in input) {
                val target = try {
                    choose(message) ?: run {
                        dead.send(DeadLetter(message, "no route matched"))
                        null
                    }
                } catch (e: CancellationException) {
                    throw e
                } catch (e: Exception) {
                    dead.send(DeadLetter(message, "choosing a route failed: $e", e))
                    null
                }
                target?.send(message)
            }
        } finally {
            outputs.values.forEach { it.close() }
            dead.close()
        }
    }
    return Router(outputs, dead)
}
