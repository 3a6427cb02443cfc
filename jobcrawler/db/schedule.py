"""`schedule_runs`: the scheduler's ledger of the crawls it asked scrapyd to run.

A row is inserted *before* scrapyd is called: the unique key (company, due time, attempt)
is the claim that keeps two concurrent ticks from scheduling the same run twice. Crawl
sessions link back to their run through (`job_id`, company): one scrapyd job (`_job`) may
crawl a batch of companies.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from jobcrawler.db.models import Base, BigId, UTCDateTime


class ScheduleRun(Base):
    __tablename__ = "schedule_runs"
    __table_args__ = (
        UniqueConstraint("company_id", "due_at", "attempt"),
        UniqueConstraint("job_id", "company_id"),  # a batch job holds many companies' runs
        Index("ix_schedule_runs_scheduled_at", "scheduled_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    company_id: Mapped[int] = mapped_column(BigId, ForeignKey("companies.id", ondelete="CASCADE"))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    attempt: Mapped[int] = mapped_column(server_default=text("0"))  # 0, then 1.. for retries
    trigger: Mapped[str] = mapped_column(String(16))
    job_id: Mapped[str] = mapped_column(String(100))
    node: Mapped[str | None] = mapped_column(Text)  # None while claimed but not yet placed
    scheduled_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(20))  # scheduled, uncertain, failed_to_schedule
    error: Mapped[str | None] = mapped_column(Text)  # why scheduling failed
