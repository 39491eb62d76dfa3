#pragma once
// ConsoleWidget: a terminal for one shell context of the lab ("compute", "instance1",
// "network/qrouter-...", "cloud") — prompt, typed line, output, history.
//
// What
//   A QPlainTextEdit that behaves like a terminal: everything before the current prompt is
//   read-only; Enter runs the line (through the runner the console dock gives: the
//   document's runCommand), appends its output and a new prompt; Up/Down walk the history;
//   Home goes to the start of the line; Ctrl+L clears the screen.
//
// Design
//   The editable region is [m_inputStart, end]. Keys that would edit before it move the
//   cursor to the end first; Backspace at m_inputStart does nothing. Pasted text keeps only
//   its first line (one command at a time). The output is plain text in a monospace font on
//   a dark background, as terminals look.

#include <functional>

#include <QPlainTextEdit>
#include <QStringList>

namespace nlab::app {

/// What running a line gave: the text to show and the exit status.
struct ConsoleResult {
    QString text;    ///< stdout then stderr (as a terminal interleaves them, roughly).
    int status = 0;
};

class ConsoleWidget : public QPlainTextEdit {
    Q_OBJECT
public:
    using Runner = std::function<ConsoleResult(const QString& line)>;

    ConsoleWidget(const QString& context, const QString& prompt, Runner runner,
                  QWidget* parent = nullptr);

    QString context() const { return m_context; }
    QString prompt() const { return m_prompt; }
    /// Runs 'line' as if typed at the prompt and Enter pressed; returns the result.
    ConsoleResult execute(const QString& line);
    /// The line typed so far at the prompt.
    QString currentInput() const;
    QStringList history() const { return m_history; }
    /// Appends text above the prompt (job output that arrives later), keeping the typed line.
    void appendOutput(const QString& text);

signals:
    /// A line ran (after its output was appended).
    void commandRan(const QString& line, int status);

protected:
    void keyPressEvent(QKeyEvent* event) override;
    void insertFromMimeData(const QMimeData* source) override;

private:
    void showPrompt();
    void setInput(const QString& text);
    void moveToEnd();

    QString m_context;
    QString m_prompt;
    Runner m_runner;
    int m_inputStart = 0;
    QStringList m_history;
    int m_historyIndex = 0;  // m_history.size(): the fresh line
    QString m_draft;         // the line being typed before walking the history
};

}  // namespace nlab::app
