from django.db import models


class FormSubmission(models.Model):
    """A form token that has been used: the same form posted twice stores one result.

    The unique token is the lock; a second, concurrent post waits for the first
    transaction and then finds the token taken.
    """

    token = models.CharField(max_length=64, unique=True)
    result_url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.token
