/**
 * Go's {@code context} for Java: cancellation, deadlines and values that flow from a parent
 * to its children. Everything is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.conduit.java.context;

import org.jspecify.annotations.NullMarked;
