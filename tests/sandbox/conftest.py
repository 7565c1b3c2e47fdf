from sandbox.testing import sandbox_server

__all__ = ["sandbox_server"]
