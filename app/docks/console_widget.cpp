#include "app/docks/console_widget.h"

#include <QFontDatabase>
#include <QKeyEvent>
#include <QMimeData>
#include <QScrollBar>
#include <QTextBlock>

namespace nlab::app {

ConsoleWidget::ConsoleWidget(const QString& context, const QString& prompt, Runner runner,
                             QWidget* parent)
    : QPlainTextEdit(parent), m_context(context), m_prompt(prompt), m_runner(std::move(runner)) {
    QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    setFont(mono);
    setLineWrapMode(QPlainTextEdit::WidgetWidth);
    setUndoRedoEnabled(false);
    setMaximumBlockCount(20000);
    QPalette p = palette();
    p.setColor(QPalette::Base, QColor(30, 32, 36));
    p.setColor(QPalette::Text, QColor(220, 223, 228));
    p.setColor(QPalette::Highlight, QColor(70, 110, 170));
    p.setColor(QPalette::HighlightedText, Qt::white);
    setPalette(p);
    setCursorWidth(2);
    showPrompt();
}

void ConsoleWidget::moveToEnd() {
    QTextCursor c = textCursor();
    c.movePosition(QTextCursor::End);
    setTextCursor(c);
}

void ConsoleWidget::showPrompt() {
    moveToEnd();
    insertPlainText(m_prompt);
    m_inputStart = textCursor().position();
    verticalScrollBar()->setValue(verticalScrollBar()->maximum());
}

QString ConsoleWidget::currentInput() const {
    QTextCursor c(document());
    c.setPosition(m_inputStart);
    c.movePosition(QTextCursor::End, QTextCursor::KeepAnchor);
    return c.selectedText();
}

void ConsoleWidget::setInput(const QString& text) {
    QTextCursor c(document());
    c.setPosition(m_inputStart);
    c.movePosition(QTextCursor::End, QTextCursor::KeepAnchor);
    c.insertText(text);
    setTextCursor(c);
}

void ConsoleWidget::appendOutput(const QString& text) {
    if (text.isEmpty()) return;
    const QString typed = currentInput();
    // Remove the prompt line, write the text, show the prompt and the typed line again.
    QTextCursor c(document());
    c.setPosition(m_inputStart - int(m_prompt.size()));
    c.movePosition(QTextCursor::End, QTextCursor::KeepAnchor);
    c.removeSelectedText();
    c.insertText(text.endsWith(QLatin1Char('\n')) ? text : text + QLatin1Char('\n'));
    setTextCursor(c);
    showPrompt();
    setInput(typed);
}

ConsoleResult ConsoleWidget::execute(const QString& line) {
    setInput(line);
    moveToEnd();
    insertPlainText(QStringLiteral("\n"));
    const QString trimmed = line.trimmed();
    ConsoleResult result;
    if (!trimmed.isEmpty()) {
        if (m_history.isEmpty() || m_history.back() != line) m_history.push_back(line);
        if (trimmed == QLatin1String("clear")) {
            clear();
        } else if (m_runner) {
            result = m_runner(line);
            if (!result.text.isEmpty()) {
                moveToEnd();
                insertPlainText(result.text.endsWith(QLatin1Char('\n')) ? result.text
                                                                        : result.text + QLatin1Char('\n'));
            }
        }
    }
    m_historyIndex = int(m_history.size());
    m_draft.clear();
    showPrompt();
    if (!trimmed.isEmpty()) emit commandRan(line, result.status);
    return result;
}

void ConsoleWidget::insertFromMimeData(const QMimeData* source) {
    if (!source->hasText()) return;
    if (textCursor().position() < m_inputStart) moveToEnd();
    QString text = source->text();
    const int nl = text.indexOf(QLatin1Char('\n'));
    if (nl >= 0) text.truncate(nl);
    insertPlainText(text);
}

void ConsoleWidget::keyPressEvent(QKeyEvent* event) {
    QTextCursor c = textCursor();
    const bool beforeInput = c.position() < m_inputStart || c.anchor() < m_inputStart;
    if (event->matches(QKeySequence::Copy) || event->matches(QKeySequence::SelectAll)) {
        QPlainTextEdit::keyPressEvent(event);
        return;
    }
    if (event->key() == Qt::Key_L && (event->modifiers() & Qt::ControlModifier)) {
        const QString typed = currentInput();
        clear();
        showPrompt();
        setInput(typed);
        return;
    }
    switch (event->key()) {
    case Qt::Key_Return:
    case Qt::Key_Enter:
        execute(currentInput());
        return;
    case Qt::Key_Up:
        if (m_historyIndex > 0) {
            if (m_historyIndex == int(m_history.size())) m_draft = currentInput();
            --m_historyIndex;
            setInput(m_history[m_historyIndex]);
        }
        return;
    case Qt::Key_Down:
        if (m_historyIndex < int(m_history.size())) {
            ++m_historyIndex;
            setInput(m_historyIndex == int(m_history.size()) ? m_draft : m_history[m_historyIndex]);
        }
        return;
    case Qt::Key_Home:
        c.setPosition(m_inputStart, (event->modifiers() & Qt::ShiftModifier) ? QTextCursor::KeepAnchor
                                                                              : QTextCursor::MoveAnchor);
        setTextCursor(c);
        return;
    case Qt::Key_Backspace:
        if (beforeInput) moveToEnd();
        if (textCursor().position() <= m_inputStart && !textCursor().hasSelection()) return;
        break;
    case Qt::Key_Left:
        if (c.position() <= m_inputStart && !(event->modifiers() & Qt::ShiftModifier)) return;
        break;
    default:
        if (beforeInput && !event->text().isEmpty()) moveToEnd();
        break;
    }
    QPlainTextEdit::keyPressEvent(event);
}

}  // namespace nlab::app
