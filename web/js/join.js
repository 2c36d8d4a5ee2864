// The join confirmation page (GET /join/<token> when the link was not simply
// opened by its owner, or this browser is signed in as someone else): the
// button sends the token to POST /api/v1/join, which sets the login cookie,
// then opens the owner's page.
const button = document.getElementById('join-confirm');
const state = document.getElementById('join-state');

async function join() {
  const token = decodeURIComponent(location.pathname.replace(/^\/join\//, ''));
  button.disabled = true;
  state.textContent = state.dataset.working || '';
  try {
    const res = await fetch('/api/v1/join', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ token }),
    });
    const data = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error((data.error && data.error.message) || String(res.status));
    location.replace(data.page);
  } catch (e) {
    state.textContent = `${state.dataset.failed || ''} ${e.message}`;
    button.disabled = false;
  }
}

if (button) button.addEventListener('click', join);
