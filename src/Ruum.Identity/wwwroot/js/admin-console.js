// The admin console's copy buttons (a file, as the Content-Security-Policy allows no inline script).
document.addEventListener('click', (event) => {
    const button = event.target.closest('[data-copy]');
    const source = button && document.querySelector(button.dataset.copy);
    if (!source || !navigator.clipboard) {
        return;
    }
    navigator.clipboard.writeText(source.textContent.trim()).then(() => { button.textContent = button.dataset.copied; });
});
