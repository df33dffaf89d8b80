"""Domain errors: problems a user can act on. Front ends show their message as one line."""


class LenteraError(Exception):
    """Base of every error that carries a message meant for the user."""


class ConfigurationError(LenteraError):
    """A setting is missing or contradicts another (e.g. openai backend without a key)."""


class ModelMissingError(LenteraError):
    """An offline model file or its packages are not installed."""


class BackendUnavailableError(LenteraError):
    """The LLM or embedding server could not be reached, timed out or refused the request."""


class DocumentError(LenteraError):
    """A document could not be read: the message names the file and the reason."""


class StoreUnavailableError(LenteraError):
    """The library's store (a Chroma server, the embedded store's files) failed mid-way."""
