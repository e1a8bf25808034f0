package dev.conduit.net

/**
 * What a client presents to a node: a bearer token (sent as gRPC metadata
 * `authorization: Bearer <token>`), or nothing for a node that allows anonymous clients.
 */
public class Credentials private constructor(internal val token: String?) {
    override fun toString(): String = if (token == null) "Credentials.none()" else "Credentials.token(****)"

    public companion object {
        /**
         * A bearer token. Never blocks.
         *
         * @throws IllegalArgumentException if [token] is blank.
         */
        @JvmStatic
        public fun token(token: String): Credentials {
            require(token.isNotBlank()) { "token must not be blank" }
            return Credentials(token)
        }

        /** No credentials: only a node built with [NodeConfig.Builder.allowAnonymous] lets such a client in. */
        @JvmStatic
        public fun none(): Credentials = Credentials(null)
    }
}
