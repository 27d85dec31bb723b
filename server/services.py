"""What every route uses, built once per app: the assistant (engine, library, reviews), the configuration,
the generation gate and the ingestion jobs. Routes get it with the `services` dependency. It does not
handle requests."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Request

from qa.factory import Assistant
from server.config import ServerConfig
from server.gate import Gate
from server.jobs import Jobs


@dataclass
class Services:
    assistant: Assistant
    config: ServerConfig
    gate: Gate
    jobs: Jobs
    started: float = field(default_factory=time.time)


def services(request: Request) -> Services:
    return request.app.state.services


Svc = Annotated[Services, Depends(services)]  # a route's parameter: `svc: Svc`
