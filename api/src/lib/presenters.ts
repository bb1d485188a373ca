import type { Book } from '../../../shared/schemas/books.js';
import type { Chapter } from '../../../shared/schemas/chapters.js';
import type { AuditEvent, TokenInfo, User } from '../../../shared/schemas/identity.js';
import type { AuditRecord, BookRecord, ChapterRecord, TokenRecord, UserRecord } from '../stores/types.js';

// Presenters whitelist the fields that leave the server, so a new stored field never leaks by accident.

export function presentUser(user: UserRecord): User {
  return {
    id: user.id, email: user.email, name: user.name, role: user.role, disabled: user.disabled,
    googleLinked: user.googleSub !== null, quotaDailyTokens: user.quotaDailyTokens,
    quotaMonthlyTokens: user.quotaMonthlyTokens, version: user.version, createdAt: user.createdAt, updatedAt: user.updatedAt,
  };
}

export function presentToken(token: TokenRecord, currentTokenId: string | null): TokenInfo {
  return {
    id: token.id, label: token.label, source: token.source, clientId: token.clientId, current: token.id === currentTokenId,
    createdAt: token.createdAt, expiresAt: token.expiresAt, lastUsedAt: token.lastUsedAt,
  };
}

export function presentBook(book: BookRecord): Book {
  return {
    id: book.id, title: book.title, subtitle: book.subtitle, description: book.description, genre: book.genre,
    audience: book.audience, language: book.language, targetWords: book.targetWords,
    standingInstructions: book.standingInstructions, voiceSample: book.voiceSample, documentId: book.documentId,
    tabId: book.tabId, version: book.version, tocVersion: book.tocVersion, createdAt: book.createdAt,
    updatedAt: book.updatedAt, deletedAt: book.deletedAt,
  };
}

export function presentChapter(chapter: ChapterRecord): Chapter {
  return {
    id: chapter.id, bookId: chapter.bookId, parentId: chapter.parentId, position: chapter.position, title: chapter.title,
    description: chapter.description, status: chapter.status, archived: chapter.archivedAt !== null,
    archivedAt: chapter.archivedAt, version: chapter.version, createdAt: chapter.createdAt, updatedAt: chapter.updatedAt,
  };
}

export function presentAuditEvent(event: AuditRecord): AuditEvent {
  return { ...event };
}
