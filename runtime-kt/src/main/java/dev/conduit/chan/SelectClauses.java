package dev.conduit.chan;

import kotlin.Unit;
import kotlin.jvm.functions.Function3;
import kotlinx.coroutines.selects.SelectClause1;
import kotlinx.coroutines.selects.SelectClause1Impl;
import kotlinx.coroutines.selects.SelectClause2;
import kotlinx.coroutines.selects.SelectClause2Impl;
import kotlinx.coroutines.selects.SelectInstance;

/**
 * Makes kotlinx select clauses for Conduit's own channel kinds. kotlinx's clause classes are
 * public on the JVM but Kotlin-internal ({@code @InternalCoroutinesApi}, the API kotlinx's own
 * {@code Mutex.onLock} and {@code Job.onJoin} are built on), so Kotlin code cannot name them and
 * this one Java class does. A kotlinx upgrade that changes them fails here, at compile time.
 */
final class SelectClauses {
    private SelectClauses() {}

    /** A receive-style clause: {@code register} registers or selects; {@code process} produces the value. */
    static <Q> SelectClause1<Q> clause1(
            Object clauseObject,
            Function3<Object, SelectInstance<?>, Object, Unit> register,
            Function3<Object, Object, Object, Object> process) {
        return new SelectClause1Impl<>(clauseObject, register, process, null);
    }

    /** A send-style clause with a parameter (the value to send). */
    static <P, Q> SelectClause2<P, Q> clause2(
            Object clauseObject,
            Function3<Object, SelectInstance<?>, Object, Unit> register,
            Function3<Object, Object, Object, Object> process) {
        return new SelectClause2Impl<>(clauseObject, register, process, null);
    }
}
