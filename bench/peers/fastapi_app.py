"""FastAPI + SQLite peer for bench/http.

This is the stack DataMorph's original design used (FastAPI on uvicorn, SQLite),
written the way a FastAPI project would write it: pydantic models, dependency
injection for the database connection and the current user, an HTTPBearer
security scheme, sync (`def`) endpoints that FastAPI runs in its thread pool,
and one stdlib `sqlite3` connection per request, taken from a small pool
(as SQLAlchemy's engine pools them).  It implements exactly the
routes bench/http needs, with the same semantics as DataMorph's:

  GET  /health                 SELECT 1 + storage dir check
  POST /api/v1/auth/register   creates organization + admin user, returns a JWT
  GET  /api/v1/projects        Bearer JWT -> membership lookup -> org's projects
  POST /api/v1/projects        creates a project in the caller's organization

Deliberate shortcut (documented in bench/README.md): passwords are hashed with
PBKDF2-HMAC-SHA256 at 1,000 iterations instead of bcrypt/argon2, because
registration is setup, not what is measured.  Nothing on the measured paths is
simplified.

Configuration by environment:
  PEER_DATA_DIR   directory for the SQLite file and the storage dir (required)
  PEER_SECRET     HS256 signing key (default: random per process)
  PEER_VERSION    version string reported by /health (default 0.0.0-peer)

Run (as bench/http/run.sh does):
  PEER_DATA_DIR=/tmp/x /usr/bin/python3 -m uvicorn fastapi_app:app \
      --app-dir bench/peers --host 127.0.0.1 --port 8001 --workers 1 --no-access-log
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import queue
import secrets
import sqlite3
import time
import uuid
from datetime import datetime, timezone
from typing import Iterator, List, Optional

from fastapi import Depends, FastAPI, HTTPException, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field, validator

try:  # python3-jwt (PyJWT); fall back to an equivalent stdlib HS256 implementation
    import jwt as _pyjwt
except ImportError:  # pragma: no cover - depends on the machine
    _pyjwt = None

DATA_DIR = os.environ.get("PEER_DATA_DIR") or os.path.join(os.getcwd(), "peer-data")
STORAGE_DIR = os.path.join(DATA_DIR, "storage")
DB_PATH = os.path.join(DATA_DIR, "peer.sqlite3")
SECRET = os.environ.get("PEER_SECRET") or secrets.token_urlsafe(32)
VERSION = os.environ.get("PEER_VERSION", "0.0.0-peer")
ACCESS_TOKEN_TTL = 15 * 60
PBKDF2_ITERATIONS = 1_000  # deliberately fast; see module docstring

SCHEMA = """
CREATE TABLE IF NOT EXISTS organizations (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    full_name TEXT,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS memberships (
    user_id TEXT NOT NULL REFERENCES users(id),
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    role TEXT NOT NULL,
    PRIMARY KEY (user_id, organization_id)
);
CREATE TABLE IF NOT EXISTS projects (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'active',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_projects_org ON projects(organization_id, created_at);
"""


# --------------------------------------------------------------------------- db

def _connect() -> sqlite3.Connection:
    conn = sqlite3.connect(DB_PATH, timeout=5.0, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def init_db() -> None:
    os.makedirs(STORAGE_DIR, exist_ok=True)
    conn = _connect()
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.executescript(SCHEMA)
        conn.commit()
    finally:
        conn.close()


# A small connection pool, as SQLAlchemy's engine would keep for the original
# design's `SessionLocal` -- one connection per request, returned afterwards.
_pool: "queue.SimpleQueue[sqlite3.Connection]" = queue.SimpleQueue()


def get_db() -> Iterator[sqlite3.Connection]:
    try:
        conn = _pool.get_nowait()
    except queue.Empty:
        conn = _connect()
    try:
        yield conn
    finally:
        if conn.in_transaction:
            conn.rollback()
        _pool.put(conn)


def utcnow() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


# ------------------------------------------------------------------ security

def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, PBKDF2_ITERATIONS)
    return f"pbkdf2_sha256${PBKDF2_ITERATIONS}${salt.hex()}${digest.hex()}"


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def encode_token(claims: dict) -> str:
    if _pyjwt is not None:
        return _pyjwt.encode(claims, SECRET, algorithm="HS256")
    header = _b64url(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    payload = _b64url(json.dumps(claims, separators=(",", ":")).encode())
    sig = hmac.new(SECRET.encode(), f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{_b64url(sig)}"


def decode_token(token: str) -> dict:
    """Verify an HS256 JWT and its expiry; raise ValueError when invalid."""
    if _pyjwt is not None:
        try:
            return _pyjwt.decode(token, SECRET, algorithms=["HS256"])
        except _pyjwt.PyJWTError as exc:
            raise ValueError(str(exc)) from exc
    try:
        header, payload, sig = token.split(".")
        expected = hmac.new(SECRET.encode(), f"{header}.{payload}".encode(), hashlib.sha256).digest()
        if not hmac.compare_digest(expected, _b64url_decode(sig)):
            raise ValueError("bad signature")
        if json.loads(_b64url_decode(header)).get("alg") != "HS256":
            raise ValueError("bad algorithm")
        claims = json.loads(_b64url_decode(payload))
    except (ValueError, json.JSONDecodeError) as exc:
        raise ValueError(str(exc)) from exc
    if claims.get("exp", 0) < time.time():
        raise ValueError("expired")
    return claims


bearer = HTTPBearer(auto_error=False)


class CurrentUser(BaseModel):
    user_id: str
    organization_id: str
    role: str


def get_current_user(
    credentials: Optional[HTTPAuthorizationCredentials] = Depends(bearer),
    db: sqlite3.Connection = Depends(get_db),
) -> CurrentUser:
    if credentials is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "Authentication required")
    try:
        claims = decode_token(credentials.credentials)
    except ValueError:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "Invalid or expired token")
    if claims.get("type") != "access":
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "Invalid or expired token")
    row = db.execute(
        "SELECT m.role FROM memberships m JOIN users u ON u.id = m.user_id "
        "WHERE m.user_id = ? AND m.organization_id = ?",
        (claims.get("sub"), claims.get("org")),
    ).fetchone()
    if row is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "Invalid or expired token")
    return CurrentUser(user_id=claims["sub"], organization_id=claims["org"], role=row["role"])


# ------------------------------------------------------------------- schemas

class RegisterIn(BaseModel):
    email: str
    password: str = Field(..., min_length=8)
    full_name: Optional[str] = None
    organization_name: Optional[str] = None

    @validator("email")
    def _email(cls, v: str) -> str:
        v = v.strip().lower()
        if "@" not in v or v.startswith("@") or v.endswith("@"):
            raise ValueError("not a valid email address")
        return v


class UserOut(BaseModel):
    id: str
    email: str
    full_name: Optional[str]


class OrganizationOut(BaseModel):
    id: str
    name: str


class AuthOut(BaseModel):
    user: UserOut
    organization: OrganizationOut
    role: str
    access_token: str
    refresh_token: str
    token_type: str = "bearer"
    expires_in: int


class ProjectIn(BaseModel):
    name: str = Field(..., min_length=1, max_length=200)
    description: Optional[str] = ""


class ProjectOut(BaseModel):
    id: str
    name: str
    description: str
    status: str
    created_at: str
    updated_at: str


class ProjectList(BaseModel):
    items: List[ProjectOut]
    total: int


class HealthOut(BaseModel):
    status: str
    database: str
    storage: str
    version: str


# ----------------------------------------------------------------------- app

app = FastAPI(title="DataMorph FastAPI peer", version=VERSION)


def _error(status_code: int, code: str, message: str, details: Optional[dict] = None) -> JSONResponse:
    return JSONResponse(
        status_code=status_code,
        content={"error": {"code": code, "message": message, "details": details or {}}},
    )


_CODES = {400: "VALIDATION_ERROR", 401: "UNAUTHENTICATED", 403: "FORBIDDEN", 404: "NOT_FOUND",
          409: "CONFLICT", 422: "VALIDATION_ERROR", 500: "INTERNAL"}


@app.exception_handler(HTTPException)
async def _http_exception(request: Request, exc: HTTPException) -> JSONResponse:
    return _error(exc.status_code, _CODES.get(exc.status_code, "ERROR"), str(exc.detail))


@app.exception_handler(RequestValidationError)
async def _validation_exception(request: Request, exc: RequestValidationError) -> JSONResponse:
    return _error(422, "VALIDATION_ERROR", "Request validation failed", {"errors": exc.errors()})


@app.on_event("startup")
def _startup() -> None:
    init_db()


@app.get("/health", response_model=HealthOut)
def health(db: sqlite3.Connection = Depends(get_db)):
    try:
        db.execute("SELECT 1").fetchone()
        database = "connected"
    except sqlite3.Error:
        database = "disconnected"
    storage = "available" if os.path.isdir(STORAGE_DIR) and os.access(STORAGE_DIR, os.W_OK) else "unavailable"
    healthy = database == "connected" and storage == "available"
    body = HealthOut(status="healthy" if healthy else "unhealthy", database=database,
                     storage=storage, version=VERSION)
    if not healthy:
        return JSONResponse(status_code=503, content=body.dict())
    return body


@app.post("/api/v1/auth/register", response_model=AuthOut, status_code=201)
def register(body: RegisterIn, db: sqlite3.Connection = Depends(get_db)):
    now = utcnow()
    user_id, org_id = str(uuid.uuid4()), str(uuid.uuid4())
    org_name = body.organization_name or f"{body.full_name or body.email}'s organization"
    try:
        db.execute("INSERT INTO organizations (id, name, created_at) VALUES (?, ?, ?)",
                   (org_id, org_name, now))
        db.execute("INSERT INTO users (id, email, password_hash, full_name, created_at) "
                   "VALUES (?, ?, ?, ?, ?)",
                   (user_id, body.email, hash_password(body.password), body.full_name, now))
        db.execute("INSERT INTO memberships (user_id, organization_id, role) VALUES (?, ?, 'admin')",
                   (user_id, org_id))
        db.commit()
    except sqlite3.IntegrityError:
        db.rollback()
        raise HTTPException(status.HTTP_409_CONFLICT, "Email already registered")
    iat = int(time.time())
    access = encode_token({"sub": user_id, "org": org_id, "type": "access",
                           "iat": iat, "exp": iat + ACCESS_TOKEN_TTL})
    refresh = encode_token({"sub": user_id, "org": org_id, "type": "refresh",
                            "jti": secrets.token_hex(16), "iat": iat, "exp": iat + 30 * 86400})
    return AuthOut(
        user=UserOut(id=user_id, email=body.email, full_name=body.full_name),
        organization=OrganizationOut(id=org_id, name=org_name),
        role="admin", access_token=access, refresh_token=refresh, expires_in=ACCESS_TOKEN_TTL,
    )


@app.get("/api/v1/projects", response_model=ProjectList)
def list_projects(user: CurrentUser = Depends(get_current_user),
                  db: sqlite3.Connection = Depends(get_db)):
    rows = db.execute(
        "SELECT id, name, description, status, created_at, updated_at FROM projects "
        "WHERE organization_id = ? ORDER BY created_at DESC, id",
        (user.organization_id,),
    ).fetchall()
    # plain dicts: FastAPI validates and serializes them through response_model once
    return {"items": [dict(r) for r in rows], "total": len(rows)}


@app.post("/api/v1/projects", response_model=ProjectOut, status_code=201)
def create_project(body: ProjectIn, user: CurrentUser = Depends(get_current_user),
                   db: sqlite3.Connection = Depends(get_db)):
    if user.role not in ("admin", "manager"):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "Managers and admins create projects")
    now = utcnow()
    project = ProjectOut(id=str(uuid.uuid4()), name=body.name, description=body.description or "",
                         status="active", created_at=now, updated_at=now)
    db.execute("INSERT INTO projects (id, organization_id, name, description, status, created_at, "
               "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
               (project.id, user.organization_id, project.name, project.description,
                project.status, project.created_at, project.updated_at))
    db.commit()
    return project
