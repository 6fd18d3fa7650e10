"""Domain exceptions; each message is shown to the user as is, in Indonesian."""


class OfficeError(Exception):
    """Base class of every refusal the domain makes."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class ValidationError(OfficeError):
    """A value typed or sent by the user cannot be accepted."""


class InvalidAmount(ValidationError):
    """An amount of money cannot be understood or is out of range."""


class InvalidDate(ValidationError):
    """A date cannot be understood."""


class InvalidDuration(ValidationError):
    """A subscription duration cannot be understood or is out of range."""


class InvalidPhoneNumber(ValidationError):
    """A phone number is not a valid Indonesian mobile number."""


class StaleEdit(ValidationError):
    """A record was changed or deleted by someone else since it was shown."""


class UnknownPlatform(ValidationError):
    """A platform name matches no platform in the list."""


class UnknownProduct(ValidationError):
    """A product name matches no product in the catalogue."""


class NotFound(OfficeError):
    """A record the user referred to does not exist (or is hidden)."""


class PermissionDenied(OfficeError):
    """The signed-in account may not do this."""


class AuthenticationFailed(OfficeError):
    """The user name or password is wrong, or the account cannot sign in.

    `reason` is a short code a sign-in page can carry across a redirect.
    """

    def __init__(self, message: str, reason: str = "salah"):
        super().__init__(message)
        self.reason = reason


class SessionEnded(OfficeError):
    """A browser's sign-in token is no longer good: sign in again."""


class SetupAlreadyDone(OfficeError):
    """The first admin account exists already."""


class HeldSaleNotFound(NotFound):
    """A held sale the register referred to does not exist."""


class HeldSaleUnavailable(OfficeError):
    """A held sale was completed, cancelled or changed by someone else."""
